from typing import Any

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cme.people"
    verbose_name = "Children and families"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Address, Child, ChildIndexChange, FormerName

        def logged(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
            # In the saving transaction: the change is seen by the indexes once committed,
            # and never if it rolls back.
            if raw:
                return
            child_pk = instance.pk if sender is Child else instance.child_id
            if child_pk is not None:
                ChildIndexChange.objects.create(child_pk=child_pk)

        for model in (Child, Address, FormerName):
            post_save.connect(logged, sender=model, weak=False, dispatch_uid=f"index-{model}")
            post_delete.connect(logged, sender=model, weak=False, dispatch_uid=f"index-del-{model}")
