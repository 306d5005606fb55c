package id.aduan.android.ui

import androidx.annotation.StringRes
import id.aduan.android.R
import id.aduan.core.Role

/** Core labels statuses and steps but not account roles; the app names them. */
@StringRes
fun roleName(role: Role): Int = when (role) {
    Role.CITIZEN -> R.string.role_citizen
    Role.CADRE -> R.string.role_cadre
    Role.OFFICER -> R.string.role_officer
    Role.INSTITUTION_ADMIN -> R.string.role_institution_admin
    Role.NATIONAL_ADMIN -> R.string.role_national_admin
}

/** Accounts that handle complaints get the work queue (the others only file and follow). */
fun hasQueue(role: Role): Boolean =
    role == Role.OFFICER || role == Role.INSTITUTION_ADMIN || role == Role.NATIONAL_ADMIN
