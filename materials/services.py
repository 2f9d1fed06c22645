"""Material orders: place, approve, pack, ship, cancel; restock.

Every change to stock locks the title rows (`select_for_update`, always in primary-key order, so
two orders for the same titles cannot deadlock) and checks what is left under the lock; the
database constraints refuse a negative stock or more reserved than is on the shelf besides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from materials import emails
from materials.models import Material, Order, OrderEvent, OrderLine, Restock
from materials.tokens import order_status_path
from selvhjelp.models import OutgoingEmail, PostalCode


def line_field(material_id: int) -> str:
    """The form field of one title's quantity: errors for a line are shown next to it."""
    return f"antall_{material_id}"


@dataclass(frozen=True)
class Address:
    name: str
    street_address: str
    postal_code: PostalCode
    email: str
    organisation: str = ""
    phone: str = ""


def _lock_materials(ids: Iterable[int]) -> dict[int, Material]:
    rows = Material.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    return {material.pk: material for material in rows}


def _same_address_orders(address: Address):
    since = timezone.now() - timedelta(days=30)
    return Order.objects.filter(
        postal_code=address.postal_code,
        street_address__iexact=address.street_address.strip(),
        created_at__gte=since,
        is_staff_order=False,
    ).exclude(status=Order.Status.CANCELLED)


@transaction.atomic
def order_place(
    *,
    quantities: dict[int, int],
    address: Address,
    staff: bool = False,
    contact_point=None,
    placed_by=None,
    language: str = "nb",
) -> Order:
    """Places an order for {material id: copies}. Refuses it whole, with a message per line,
    when a line is over its cap, not orderable or more than is left (unless staff may back-order
    that title); nothing is saved then."""
    quantities = {pk: qty for pk, qty in quantities.items() if qty}
    if not quantities:
        raise ValidationError(_("Handlekurven er tom. Skriv et antall ved minst én tittel."))
    total = sum(quantities.values())
    order_cap = settings.MATERIALS_ORDER_CAP_STAFF if staff else settings.MATERIALS_ORDER_CAP_PUBLIC
    errors: dict[str, list[str]] = {}
    if total > order_cap:
        errors["__all__"] = [
            _("Du kan bestille høyst %(cap)s eksemplarer til sammen. Nå står det %(total)s.")
            % {"cap": order_cap, "total": total}
        ]
    if not staff:
        earlier = _same_address_orders(address).aggregate(copies=Sum("lines__quantity"))["copies"]
        if (earlier or 0) + total > settings.MATERIALS_ADDRESS_MONTHLY_CAP:
            errors.setdefault("__all__", []).append(
                _(
                    "Denne adressen har bestilt mye den siste måneden. Ta kontakt med oss "
                    "hvis dere trenger flere."
                )
            )

    materials = _lock_materials(quantities)
    backorders: set[int] = set()
    for pk, qty in quantities.items():
        material = materials.get(pk)
        field = line_field(pk)
        if material is None or not (material.is_published and material.is_orderable):
            errors[field] = [_("Denne tittelen kan ikke bestilles på trykk nå.")]
        elif qty < 0:
            errors[field] = [_("Skriv et helt tall fra 0 og oppover.")]
        elif qty > material.cap_for(staff=staff):
            errors[field] = [
                _("Du kan bestille høyst %(cap)s av denne.")
                % {"cap": material.cap_for(staff=staff)}
            ]
        elif qty > material.available:
            if staff and material.allow_backorder:
                backorders.add(pk)
            elif material.available <= 0:
                errors[field] = [_("Denne er dessverre tom på lager.")]
            else:
                errors[field] = [
                    ngettext(
                        "Vi har bare %(count)s eksemplar igjen.",
                        "Vi har bare %(count)s eksemplarer igjen.",
                        material.available,
                    )
                    % {"count": material.available}
                ]
    if errors:
        raise ValidationError(errors)

    status, reason = Order.Status.RECEIVED, ""
    if not staff:
        if total >= settings.MATERIALS_REVIEW_COPIES:
            status, reason = Order.Status.AWAITING_APPROVAL, "large"
        elif (
            _same_address_orders(address).count() + 1
            >= settings.MATERIALS_REVIEW_ORDERS_PER_ADDRESS
        ):
            status, reason = Order.Status.AWAITING_APPROVAL, "same_address"
    order = Order(
        status=status,
        is_staff_order=staff,
        contact_point=contact_point,
        placed_by=placed_by,
        name=address.name,
        organisation=address.organisation,
        street_address=address.street_address.strip(),
        postal_code=address.postal_code,
        county_id=address.postal_code.municipality.county_id,
        email=address.email,
        phone=address.phone,
        review_reason=reason,
    )
    order.full_clean()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(order=order, material_id=pk, quantity=qty, is_backorder=pk in backorders)
        for pk, qty in sorted(quantities.items())
    )
    for pk, qty in quantities.items():
        if pk not in backorders:
            Material.objects.filter(pk=pk).update(reserved=F("reserved") + qty)
            materials[pk].reserved += qty
    OrderEvent.objects.create(order=order, status=status, by=placed_by)
    for material in materials.values():
        _notify_if_low(material)
    emails.order_confirmation(order, status_url=order_status_path(order), language=language)
    return order


def _notify_if_low(material: Material) -> None:
    """One email per shortage: the flag is claimed by a conditional UPDATE, so two orders that
    cross the threshold at once send one email; a restock clears it."""
    if material.available >= material.low_stock_threshold:
        return
    claimed = Material.objects.filter(pk=material.pk, low_stock_notified_at__isnull=True).update(
        low_stock_notified_at=timezone.now()
    )
    if claimed:
        emails.low_stock(material)


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _move(order: Order, *, to: str, by, note: str = "") -> None:
    order.status = to
    order.save(update_fields=["status", "shipped_at"])
    OrderEvent.objects.create(order=order, status=to, by=by, note=note)


def _refuse(order: Order, action: str) -> ValidationError:
    return ValidationError(
        _("Bestilling %(number)s kan ikke %(action)s nå: den er %(status)s.")
        % {"number": order.number, "action": action, "status": order.get_status_display().lower()}
    )


@transaction.atomic
def order_cancel(*, order: Order, by=None, by_person: bool = False) -> Order:
    """Cancels an open order and returns its reservations. The person may cancel until it is
    packed; staff until it is shipped."""
    order = _lock_order(order)
    allowed = Order.CANCELLABLE_BY_PERSON if by_person else Order.OPEN_STATUSES
    if order.status not in allowed:
        raise _refuse(order, _("avbestilles"))
    lines = list(order.lines.all())
    _lock_materials(line.material_id for line in lines)
    for line in lines:
        if not line.is_backorder:
            Material.objects.filter(pk=line.material_id).update(
                reserved=F("reserved") - line.quantity
            )
    _move(order, to=Order.Status.CANCELLED, by=by)
    return order


@transaction.atomic
def order_approve(*, order: Order, by) -> Order:
    order = _lock_order(order)
    if order.status != Order.Status.AWAITING_APPROVAL:
        raise _refuse(order, _("godkjennes"))
    _move(order, to=Order.Status.RECEIVED, by=by)
    return order


@transaction.atomic
def order_pack(*, order: Order, by) -> Order:
    """Packs a received order. A back-order line is reserved now, if the shelf has it."""
    order = _lock_order(order)
    if order.status != Order.Status.RECEIVED:
        raise _refuse(order, _("pakkes"))
    backorders = [line for line in order.lines.all() if line.is_backorder]
    materials = _lock_materials(line.material_id for line in backorders)
    for line in backorders:
        if materials[line.material_id].available < line.quantity:
            raise ValidationError(
                _("Bestilling %(number)s venter på «%(title)s»: det er ikke nok på lager.")
                % {"number": order.number, "title": materials[line.material_id].title}
            )
    for line in backorders:
        Material.objects.filter(pk=line.material_id).update(reserved=F("reserved") + line.quantity)
        line.is_backorder = False
        line.save(update_fields=["is_backorder"])
    _move(order, to=Order.Status.PACKED, by=by)
    return order


@transaction.atomic
def order_ship(*, order: Order, by) -> Order:
    """Ships a packed order: its copies leave the shelf and the reservation, and the person
    gets an email."""
    order = _lock_order(order)
    if order.status != Order.Status.PACKED:
        raise _refuse(order, _("sendes"))
    lines = list(order.lines.select_related("material"))
    _lock_materials(line.material_id for line in lines)
    for line in lines:
        Material.objects.filter(pk=line.material_id).update(
            stock=F("stock") - line.quantity, reserved=F("reserved") - line.quantity
        )
    order.shipped_at = timezone.now()
    _move(order, to=Order.Status.SHIPPED, by=by)
    emails.order_shipped(order, lines)
    return order


ACTIONS = {
    "approve": order_approve,
    "pack": order_pack,
    "ship": order_ship,
    "cancel": order_cancel,
}


def orders_bulk(*, orders: Iterable[Order], action: str, by) -> tuple[int, list[str]]:
    """Applies `action` to each order in its own transaction: one that cannot move (already
    shipped, waiting for stock) is reported and the rest go ahead."""
    service = ACTIONS[action]
    done, problems = 0, []
    for order in orders:
        try:
            service(order=order, by=by)
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            done += 1
    return done, problems


@transaction.atomic
def material_restock(*, material: Material, quantity: int, note: str, by) -> Restock:
    """Records a delivery to the shelf. Back above the threshold, the next shortage emails again."""
    if quantity <= 0:
        raise ValidationError({"quantity": _("Skriv et antall over null.")})
    material = _lock_materials([material.pk])[material.pk]
    restock = Restock(material=material, quantity=quantity, note=note.strip(), by=by)
    restock.full_clean()
    restock.save()
    material.stock += quantity
    if material.available >= material.low_stock_threshold:
        material.low_stock_notified_at = None
    material.save(update_fields=["stock", "low_stock_notified_at"])
    return restock


PERSONAL_FIELDS = {
    "name": "",
    "organisation": "",
    "street_address": "",
    "email": "",
    "phone": "",
    "postal_code": None,
}


PERSONAL_EMAIL_KINDS = ("materials-order-confirmation", "materials-order-shipped")


@transaction.atomic
def orders_anonymise(orders) -> int:
    """Deletes names and addresses, keeping titles, copies, county and dates for the figures,
    and the sent emails that carried them (pending ones still go out: a receipt is awaited)."""
    orders = orders.filter(personal_data_deleted_at__isnull=True)
    addresses = set(orders.values_list("email", flat=True))
    count = orders.update(**PERSONAL_FIELDS, personal_data_deleted_at=timezone.now())
    if addresses:
        query = Q()
        for email in addresses:
            query |= Q(to__iexact=email)
        OutgoingEmail.objects.filter(query, kind__in=PERSONAL_EMAIL_KINDS).exclude(
            status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
        ).delete()
    return count


def orders_past_retention():
    cutoff = timezone.now() - timedelta(days=settings.MATERIALS_RETENTION_DAYS)
    return Order.objects.filter(personal_data_deleted_at__isnull=True).filter(
        models_q_finished_before(cutoff)
    )


def models_q_finished_before(cutoff):
    return Q(status=Order.Status.SHIPPED, shipped_at__lt=cutoff) | Q(
        status=Order.Status.CANCELLED, created_at__lt=cutoff
    )
