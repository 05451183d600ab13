from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "cme.enquiries"
    verbose_name = "Enquiries that locate a child (CME3a/3b, CME4, CME5a/5b, visits, checks)"

    def ready(self) -> None:
        from cme.cases.closing import close_requirement_register

        from .reasonable import lost_needs_enquiries

        close_requirement_register("enquiries", lost_needs_enquiries)
