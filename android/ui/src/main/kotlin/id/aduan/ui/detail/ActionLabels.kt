package id.aduan.ui.detail

import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.core.ActionKind

/**
 * The workflow steps that get their own screen (a note, optional photo evidence, and the step's
 * parameters). Replying, rating and adding photos happen on the detail screen itself; editing
 * the reporter's own report has its own form (EditScreen).
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
fun actionButton(kind: ActionKind): S = when (kind) {
    ActionKind.EDIT -> S.action_edit
    ActionKind.ADD_PHOTO -> S.action_add_photo
    ActionKind.DISPATCH -> S.action_dispatch
    ActionKind.ASSIGN -> S.action_assign
    ActionKind.NOT_OUR_AUTHORITY -> S.action_not_our_authority
    ActionKind.DEFER -> S.action_defer
    ActionKind.RESUME -> S.action_resume
    ActionKind.ARCHIVE -> S.action_archive
    ActionKind.MERGE_INTO -> S.action_merge_into
    ActionKind.SET_FLAGS -> S.action_set_flags
    ActionKind.START_WORK -> S.action_start_work
    ActionKind.FOLLOW_UP -> S.action_follow_up
    ActionKind.CLOSE -> S.action_close
    ActionKind.REPLY -> S.action_reply
    ActionKind.REOPEN -> S.action_reopen
    ActionKind.RATE -> S.action_rate
}

/** What the step does, in plain words, shown above its form. */
fun actionExplained(kind: ActionKind): S = when (kind) {
    ActionKind.DISPATCH -> S.action_dispatch_explained
    ActionKind.ASSIGN -> S.action_assign_explained
    ActionKind.NOT_OUR_AUTHORITY -> S.action_not_our_authority_explained
    ActionKind.DEFER -> S.action_defer_explained
    ActionKind.RESUME -> S.action_resume_explained
    ActionKind.ARCHIVE -> S.action_archive_explained
    ActionKind.MERGE_INTO -> S.action_merge_into_explained
    ActionKind.SET_FLAGS -> S.action_set_flags_explained
    ActionKind.START_WORK -> S.action_start_work_explained
    ActionKind.FOLLOW_UP -> S.action_follow_up_explained
    ActionKind.CLOSE -> S.action_close_explained
    ActionKind.REOPEN -> S.action_reopen_explained
    ActionKind.EDIT, ActionKind.ADD_PHOTO, ActionKind.REPLY, ActionKind.RATE -> S.action_generic_explained
}
