"""Staff roles: invitations, the staff list, the places roles are granted over."""
