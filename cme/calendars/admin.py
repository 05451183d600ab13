from django.contrib import admin

from .models import Closure, TermDates


@admin.register(TermDates)
class TermDatesAdmin(admin.ModelAdmin):
    list_display = ("academic_year", "term", "kind", "first_day", "last_day")
    list_filter = ("academic_year", "kind")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("first_day", "last_day", "reason", "establishment")
    list_filter = ("establishment",)
