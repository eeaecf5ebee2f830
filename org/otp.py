"""The second factor: TOTP devices (an authenticator app) and recovery codes
(django-otp's static device), and the QR code as inline SVG (no external service)."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from org import audit, policy
from org.auth import demo_mode, is_demo
from org.roles import role_of

SETUP_DEVICE_NAME = "手机令牌"
RECOVERY_DEVICE_NAME = "恢复码"


def second_factor_required(user) -> bool:
    return policy.second_factor_required(
        role=role_of(user),
        require_for_all=settings.OTP_REQUIRED_FOR_ALL,
        is_demo=is_demo(user),
        demo_mode=demo_mode(),
    )


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_totp_device(*, user) -> TOTPDevice:
    """The unconfirmed device being set up (one per user, made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=SETUP_DEVICE_NAME, confirmed=False)


def qr_svg(data: str) -> str:
    """An <svg> element drawing `data` as a QR code, for inline use: paths and
    attributes only, no style, no script, so a strict CSP allows it."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    text = out.getvalue().decode()
    return text[text.index("<svg") :]


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str, request=None) -> list[str] | None:
    """Confirm `device` with a code from the app; the user's other TOTP devices are
    retired and fresh recovery codes made, and the set-up is audited (who, from where:
    the request's). Returns the codes (shown once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user=device.user)
    # Last write of the transaction: the audit chain's head is locked till commit.
    audit.record(
        action="account.otp_setup",
        actor=device.user,
        request=request,
        target=device.user,
        detail={"device": device.name, "recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def match_device(*, user, token: str):
    """The confirmed device (TOTP or recovery code) that accepts `token`, or None.
    Each device throttles wrong codes itself."""
    token = token.strip().replace(" ", "")
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


def base32_key(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
