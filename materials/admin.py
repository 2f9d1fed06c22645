from django.contrib import admin

from materials.models import Material, Order, OrderEvent, OrderLine, Restock


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "format",
        "audience",
        "is_published",
        "is_orderable",
        "stock",
        "reserved",
        "low_stock_threshold",
    ]
    list_filter = ["is_published", "is_orderable", "audience", "format"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["reserved", "low_stock_notified_at"]
    search_fields = ["title"]

    def get_readonly_fields(self, request, obj=None):
        # Stock changes only through a recorded restock (or shipping), never by typing it over.
        return [*self.readonly_fields, "stock"] if obj else self.readonly_fields


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["material", "quantity", "is_backorder"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "by", "at", "note"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "county"]
    list_filter = ["status"]
    inlines = [OrderLineInline, OrderEventInline]

    def has_change_permission(self, request, obj=None):
        # Orders move only through the fulfilment pages, which keep stock and history right.
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Restock)
class RestockAdmin(admin.ModelAdmin):
    list_display = ["material", "quantity", "note", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False
