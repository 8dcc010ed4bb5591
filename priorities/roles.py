"""The portal's two roles, as Django groups created by migration 0002_roles.

Staff log activities and edit their own (Activity.can_edit); editors edit any and set status.
Admin rights (is_staff, for /admin/) are separate from both.
"""

STAFF_GROUP = "Saksbehandler"
EDITOR_GROUP = "Redaktør"
