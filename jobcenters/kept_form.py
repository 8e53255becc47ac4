"""Nothing typed is lost when the login expires (UX.md "Tablet, mistakes and lost work").

A form sent after the session expired arrives as an anonymous POST at a page that needs
login. Its fields (never files, never the CSRF token) are kept in the new anonymous session
with the page's address and the user who was logged in in this browser; `login()` keeps
session data when it changes the session key. After the new login, the GET of that page
binds its form to the kept fields, once (`ServiceFormMixin.get_form_kwargs`).

Who was logged in: the expired session is gone, so every authenticated response renews a
signed cookie with a keyed digest of the user's id (not the id itself), honoured for
SESSION_ABSOLUTE_AGE after the last authenticated request. Only that user gets the fields
back; when someone else logs in in this browser they are dropped. A browser that nobody
was logged in in keeps nothing, so strangers cannot fill sessions with data.

CSRF is checked before this middleware runs (CsrfViewMiddleware comes first). The token
lives in its own long-lived cookie, not in the session (CSRF_USE_SESSIONS = False), so an
expired session does not make it invalid, and only forms the site rendered for this
browser are kept.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "kept_form"
USER_COOKIE = "werkakademie_user"
SALT = "jobcenters.kept_form"
# Far above any form of the application (a session of 40 people with notes: ~25 000).
MAX_CHARS = 100_000


def user_digest(user) -> str:
    return salted_hmac(SALT, str(user.pk)).hexdigest()


def restores_forms(view_func) -> bool:
    """Views whose GET shows the form that their POST saves, bound to kept fields."""
    from .views import ServiceFormMixin  # which binds them with kept_form_data()

    view_class = getattr(view_func, "view_class", None)
    return view_class is not None and issubclass(view_class, ServiceFormMixin)


def kept_form_data(request) -> QueryDict | None:
    """The fields kept for this page's form, if any; the first call tells the user so."""
    data = getattr(request, "kept_form", None)
    if data is not None and not getattr(request, "kept_form_announced", False):
        request.kept_form_announced = True
        messages.info(request, _(
            "Your entries from before are filled in again. Please check them and save."))
    return data


class KeptFormLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, keeping a form sent after the login expired."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            self.restore(request, view_func)
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        # Set once per login, not on every response: only a missing or another user's
        # cookie is (re)written.
        if user is not None and user.is_authenticated and request.get_signed_cookie(
                USER_COOKIE, default=None, salt=SALT) != user_digest(user):
            response.set_signed_cookie(
                USER_COOKIE, user_digest(user), salt=SALT, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE)
        return response

    def handle_no_permission(self, request, view_func):
        if request.method != "POST":
            return super().handle_no_permission(request, view_func)
        after_login = request.get_full_path()
        if request.FILES:
            messages.warning(request, _(
                "Your login had expired, so the file was not uploaded. Please log in and "
                "choose it again."))
        elif restores_forms(view_func) and self.keep(request):
            messages.info(request, _(
                "Your login had expired. Your entries have been kept: after logging in they "
                "are filled in again."))
        else:
            messages.warning(request, _(
                "Your login had expired, so nothing was saved. Please log in and try again."))
            referer = request.headers.get("Referer", "")
            if not hasattr(getattr(view_func, "view_class", None), "get") and (
                url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
                # An action without a page of its own: after the login, back where it was sent.
                after_login = urlsplit(referer)._replace(scheme="", netloc="").geturl()
        return redirect_to_login(after_login, resolve_url(self.get_login_url(view_func)),
                                 self.get_redirect_field_name(view_func))

    @staticmethod
    def keep(request) -> bool:
        try:
            digest = request.get_signed_cookie(USER_COOKIE, salt=SALT,
                                               max_age=settings.SESSION_ABSOLUTE_AGE)
        except (KeyError, signing.BadSignature):
            return False
        fields = [[name, values] for name, values in request.POST.lists()
                  if name != "csrfmiddlewaretoken"]
        if sum(len(name) + sum(map(len, values)) for name, values in fields) > MAX_CHARS:
            return False
        request.session[SESSION_KEY] = {"path": request.get_full_path(), "user": digest,
                                        "fields": fields}
        return True

    @staticmethod
    def restore(request, view_func):
        kept = request.session.get(SESSION_KEY)
        if kept is None:
            return
        if not constant_time_compare(kept["user"], user_digest(request.user)):
            del request.session[SESSION_KEY]  # someone else logged in: not theirs to see
            return
        if (request.method != "GET" or kept["path"] != request.get_full_path()
                or not restores_forms(view_func)):
            return
        del request.session[SESSION_KEY]
        data = QueryDict(mutable=True)
        for name, values in kept["fields"]:
            data.setlist(name, values)
        request.kept_form = data

