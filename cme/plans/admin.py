from django.contrib import admin

from .models import PlanTemplate, PlanTemplateItem


class PlanTemplateItemInline(admin.TabularInline):
    model = PlanTemplateItem
    extra = 1


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [PlanTemplateItemInline]
