package id.aduan.ui.common

import androidx.compose.runtime.Composable
import id.aduan.ui.strings.S
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.strings.stringResource
import id.aduan.core.AduanException
import id.aduan.core.Language

/** Something to tell the user: core's own sentence in both languages, or one of the app's. */
sealed interface UiMessage {
    data class Core(val indonesian: String, val english: String) : UiMessage
    data class Resource(val res: S) : UiMessage
}

fun Throwable.toUiMessage(): UiMessage = when (this) {
    is AduanException -> texts().let { (indonesian, english) -> UiMessage.Core(indonesian, english) }
    else -> UiMessage.Resource(S.error_unexpected)
}

/** Core's message in both languages; every variant carries them. */
private fun AduanException.texts(): Pair<String, String> = when (this) {
    is AduanException.InvalidInput -> messageId to messageEn
    is AduanException.NotFound -> messageId to messageEn
    is AduanException.NotAllowed -> messageId to messageEn
    is AduanException.PhotoRejected -> messageId to messageEn
    is AduanException.Damaged -> messageId to messageEn
    is AduanException.Storage -> messageId to messageEn
    is AduanException.Sync -> messageId to messageEn
}

fun pick(language: Language, indonesian: String, english: String): String =
    if (language == Language.EN) english else indonesian

@Composable
fun UiMessage.text(): String = when (this) {
    is UiMessage.Core -> pick(LocalLanguage.current, indonesian, english)
    is UiMessage.Resource -> stringResource(res)
}
