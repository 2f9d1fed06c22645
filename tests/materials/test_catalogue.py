"""The public catalogue and title pages; covers and PDFs as checked uploads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from materials.models import Material, validate_cover, validate_pdf
from tests.materials.factories import make_material

LIST = reverse("materials:material-list")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), "#2a6f97").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_catalogue_shows_published_titles_and_filters_by_audience_and_language(client, db):
    make_material("For alle", languages=["nb", "nn"])
    make_material("For pårørende", audience=Material.Audience.RELATIVES, languages=["nb"])
    make_material("In English", languages=["en"])
    make_material("Skjult", is_published=False)

    def titles(query: dict) -> list[str]:
        return [m.title for m in client.get(LIST, query).context["materials"]]

    assert sorted(titles({})) == ["For alle", "For pårørende", "In English"]
    assert titles({"malgruppe": "relatives"}) == ["For pårørende"]
    assert titles({"sprak": "nn"}) == ["For alle"]
    assert titles({"sprak": "en", "malgruppe": "relatives"}) == []
    # A made-up filter value is ignored rather than an error.
    assert len(titles({"sprak": "xx"})) == 3


def test_a_title_page_shows_the_details_and_the_order_link(client, db):
    material = make_material("Hva er en selvhjelpsgruppe", languages=["nb", "se"])
    response = client.get(reverse("materials:material-detail", kwargs={"slug": material.slug}))
    text = response.content.decode()
    assert "Nordsamisk" in text and "Lommebrosjyre" in text
    assert f"?tittel={material.slug}" in text


def test_an_unpublished_title_page_is_404(client, db):
    material = make_material("Skjult", is_published=False)
    url = reverse("materials:material-detail", kwargs={"slug": material.slug})
    assert client.get(url).status_code == 404


def test_covers_and_pdfs_are_served_from_the_storage(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    material = make_material(
        "Med omslag",
        cover=SimpleUploadedFile("omslag.png", _png(), content_type="image/png"),
        pdf=SimpleUploadedFile("brosjyre.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf"),
    )
    text = client.get(reverse("materials:material-detail", kwargs={"slug": material.slug})).content
    assert material.cover.url.encode() in text
    assert material.pdf.url.encode() in text
    assert (tmp_path / material.cover.name).exists()


def test_a_cover_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError, match="ikke et bilde"):
        validate_cover(SimpleUploadedFile("omslag.png", b"not an image at all"))


def test_a_cover_that_is_too_large_is_refused():
    big = SimpleUploadedFile("omslag.png", _png() + b"\0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError, match="for stort"):
        validate_cover(big)


def test_a_pdf_must_be_a_pdf_and_not_too_large():
    validate_pdf(SimpleUploadedFile("ok.pdf", b"%PDF-1.7 rest"))
    with pytest.raises(ValidationError, match="ikke en PDF"):
        validate_pdf(SimpleUploadedFile("fake.pdf", b"<html>"))
    with pytest.raises(ValidationError, match="for stor"):
        validate_pdf(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024)))


def test_the_admin_refuses_a_fake_cover_next_to_the_field_and_saves_nothing(
    db, national_admin, tmp_path, settings
):
    from tests import factories

    settings.MEDIA_ROOT = tmp_path
    client = factories.logged_in_client(national_admin)
    data = {
        "title": "Ny brosjyre",
        "slug": "ny-brosjyre",
        "description": "Om grupper.",
        "audience": "everyone",
        "languages": "nb",
        "format": "pocket",
        "is_published": "on",
        "is_orderable": "on",
        "stock": "100",
        "low_stock_threshold": "10",
        "public_cap": "10",
        "staff_cap": "200",
        "sort_order": "1",
        "cover": SimpleUploadedFile("omslag.png", b"GIF89 not really"),
    }
    response = client.post(reverse("admin:materials_material_add"), data)
    assert response.status_code == 200
    assert "cover" in response.context["adminform"].form.errors
    assert not Material.objects.exists()


@pytest.mark.parametrize("size", [5, 200])
def test_the_catalogue_makes_a_constant_number_of_queries(
    client, db, size, django_assert_max_num_queries
):
    Material.objects.bulk_create(
        Material(
            title=f"Tittel {n}",
            slug=f"tittel-{n}",
            description="Kort.",
            audience="everyone",
            languages=["nb"],
            format="pocket",
        )
        for n in range(size)
    )
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["materials"]) == size


def test_a_title_cannot_take_the_address_of_a_catalogue_page(db):
    material = Material(
        title="Lager", slug="lager", description="x", audience="everyone", format="pocket"
    )
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert "slug" in refused.value.message_dict
