package id.aduan.ui.common

import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.strings.locale
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import kotlin.math.roundToInt

/** Dates and times in the app's language and the device's time zone (or [zone], a report's). */
class DateFormats(locale: Locale, private val zone: ZoneId = ZoneId.systemDefault()) {
    private val dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(locale).withZone(zone)
    private val date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).withZone(zone)

    fun dateTime(millis: Long): String = dateTime.format(Instant.ofEpochMilli(millis))

    fun date(millis: Long): String = date.format(Instant.ofEpochMilli(millis))
}

@Composable
fun rememberDateFormats(): DateFormats {
    val language = LocalLanguage.current
    return remember(language) { DateFormats(locale(language)) }
}

/** Coordinates with a dot and five decimals (about a metre), as maps and people read them. */
fun coordinate(value: Double): String = String.format(Locale.ROOT, "%.5f", value)

fun metres(accuracy: Double): Int = accuracy.roundToInt()
