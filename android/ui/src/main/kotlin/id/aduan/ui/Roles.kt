package id.aduan.ui

import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.core.NotificationKind
import id.aduan.core.Role

/** Core labels statuses and steps but not account roles; the app names them. */
fun roleName(role: Role): S = when (role) {
    Role.CITIZEN -> S.role_citizen
    Role.CADRE -> S.role_cadre
    Role.OFFICER -> S.role_officer
    Role.INSTITUTION_ADMIN -> S.role_institution_admin
    Role.NATIONAL_ADMIN -> S.role_national_admin
}

/** Accounts that handle complaints get the work queue (the others only file and follow). */
fun hasQueue(role: Role): Boolean =
    role == Role.OFFICER || role == Role.INSTITUTION_ADMIN || role == Role.NATIONAL_ADMIN

/**
 * The notification kinds worth choosing for [role]: core tells reporters (citizens, and cadres
 * who file for them) only of their own reports; the kinds about work go to those with a queue.
 */
fun notificationKindsFor(role: Role): List<NotificationKind> =
    if (hasQueue(role)) NotificationKind.entries
    else listOf(NotificationKind.STATUS_CHANGED, NotificationKind.REPLY_WINDOW_CLOSING, NotificationKind.COMPLETED)
