from ninja import Router, Schema

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit: str
    unitName: str
    role: str


class MeOut(Schema):
    username: str
    fullName: str
    email: str
    isAdministrator: bool
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="Tài khoản đang dùng API")
def me(request):
    """The account behind the token or session, with its roles per unit."""
    user = request.user
    memberships = user.memberships.select_related("unit").order_by("unit__sort_key")
    return {
        "username": user.username,
        "fullName": user.full_name,
        "email": user.email,
        "isAdministrator": user.is_superuser,
        "memberships": [
            {"unit": m.unit.code, "unitName": m.unit.name, "role": m.role} for m in memberships
        ],
    }
