from django.contrib import admin

from .models import ApplicantProfile, CardLink, CardLinkOpening, Consent


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(admin.ModelAdmin):
    list_display = ["participant", "wished_occupation", "cv_uploaded_at", "jobcenter"]
    list_filter = ["jobcenter"]
    raw_id_fields = ["participant", "cv_uploaded_by"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["participant", "given_on", "valid_until", "withdrawn_on", "jobcenter"]
    list_filter = ["jobcenter"]
    raw_id_fields = ["participant", "recorded_by", "withdrawn_by"]


@admin.register(CardLink)
class CardLinkAdmin(admin.ModelAdmin):
    list_display = ["participant", "created_at", "expires_on", "revoked_at", "jobcenter"]
    list_filter = ["jobcenter"]
    raw_id_fields = ["participant", "consent", "created_by", "revoked_by"]
    exclude = ["token"]


@admin.register(CardLinkOpening)
class CardLinkOpeningAdmin(admin.ModelAdmin):
    list_display = ["link", "what", "opened_at"]
    raw_id_fields = ["link"]
