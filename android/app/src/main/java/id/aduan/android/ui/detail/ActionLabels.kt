package id.aduan.android.ui.detail

import androidx.annotation.StringRes
import id.aduan.android.R
import id.aduan.core.ActionKind

/**
 * The workflow steps that get their own screen (a note, optional photo evidence, and the step's
 * parameters). Replying, rating and adding photos happen on the detail screen itself; editing a
 * filed report is not offered by this app.
 */
val STEP_ACTIONS: Set<ActionKind> = setOf(
    ActionKind.DISPATCH,
    ActionKind.ASSIGN,
    ActionKind.NOT_OUR_AUTHORITY,
    ActionKind.DEFER,
    ActionKind.RESUME,
    ActionKind.ARCHIVE,
    ActionKind.MERGE_INTO,
    ActionKind.SET_FLAGS,
    ActionKind.START_WORK,
    ActionKind.FOLLOW_UP,
    ActionKind.CLOSE,
    ActionKind.REOPEN,
)

/** The button (and screen title) for a step core says this user may take. */
@StringRes
fun actionButton(kind: ActionKind): Int = when (kind) {
    ActionKind.EDIT -> R.string.action_edit
    ActionKind.ADD_PHOTO -> R.string.action_add_photo
    ActionKind.DISPATCH -> R.string.action_dispatch
    ActionKind.ASSIGN -> R.string.action_assign
    ActionKind.NOT_OUR_AUTHORITY -> R.string.action_not_our_authority
    ActionKind.DEFER -> R.string.action_defer
    ActionKind.RESUME -> R.string.action_resume
    ActionKind.ARCHIVE -> R.string.action_archive
    ActionKind.MERGE_INTO -> R.string.action_merge_into
    ActionKind.SET_FLAGS -> R.string.action_set_flags
    ActionKind.START_WORK -> R.string.action_start_work
    ActionKind.FOLLOW_UP -> R.string.action_follow_up
    ActionKind.CLOSE -> R.string.action_close
    ActionKind.REPLY -> R.string.action_reply
    ActionKind.REOPEN -> R.string.action_reopen
    ActionKind.RATE -> R.string.action_rate
}

/** What the step does, in plain words, shown above its form. */
@StringRes
fun actionExplained(kind: ActionKind): Int = when (kind) {
    ActionKind.DISPATCH -> R.string.action_dispatch_explained
    ActionKind.ASSIGN -> R.string.action_assign_explained
    ActionKind.NOT_OUR_AUTHORITY -> R.string.action_not_our_authority_explained
    ActionKind.DEFER -> R.string.action_defer_explained
    ActionKind.RESUME -> R.string.action_resume_explained
    ActionKind.ARCHIVE -> R.string.action_archive_explained
    ActionKind.MERGE_INTO -> R.string.action_merge_into_explained
    ActionKind.SET_FLAGS -> R.string.action_set_flags_explained
    ActionKind.START_WORK -> R.string.action_start_work_explained
    ActionKind.FOLLOW_UP -> R.string.action_follow_up_explained
    ActionKind.CLOSE -> R.string.action_close_explained
    ActionKind.REOPEN -> R.string.action_reopen_explained
    ActionKind.EDIT, ActionKind.ADD_PHOTO, ActionKind.REPLY, ActionKind.RATE -> R.string.action_generic_explained
}
