@file:OptIn(ExperimentalTestApi::class)

package id.aduan.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertIsOff
import androidx.compose.ui.test.assertIsOn
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.isSelectable
import androidx.compose.ui.test.isToggleable
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performMouseInput
import androidx.compose.ui.test.performScrollTo
import id.aduan.core.Language
import id.aduan.core.NotificationChannel
import id.aduan.core.NotificationKind
import id.aduan.ui.strings.S
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * An officer chooses which notifications reach them: with no signal the screen says so and
 * offers a retry; once connected it reads the choices from the server, the officer turns off
 * new work by e-mail, gives an address and the language of e-mails, and saves. Signed in on
 * another device, the same choices come back from the server. A citizen is offered only the
 * kinds about their own reports.
 */
class NotificationSettingsJourneyTest {
    @ParameterizedTest
    @EnumSource(Language::class)
    fun `an officer turns off new work by e-mail, saves, and reads the same choices back on another device`(language: Language) {
        TestServer().use { server ->
            val address = "petugas@dpu.makassar.go.id"
            // E-mails in the other language than the app's, so the choice shows it travelled.
            val emailLanguage = if (language == Language.EN) Language.ID else Language.EN
            Device(server, language).use { phone ->
                val labels = phone.env.store.notificationKinds().associate { it.kind to it.label }
                val newWork = labels.getValue(NotificationKind.NEW_WORK)
                runApp(phone) {
                    signIn("petugas")
                    waitFor(t(S.queue_title))

                    // No signal: nothing to show but the reason and a way to try again.
                    phone.network.setConnected(false)
                    tap(t(S.tab_settings))
                    waitFor(t(S.settings_notifications_explained))
                    screenshot("22-settings")
                    tap(t(S.settings_notifications_open))
                    waitFor(t(S.notification_prefs_offline))
                    screenshot("23-notification-choices-offline")

                    phone.network.setConnected(true)
                    tap(t(S.notification_prefs_retry))
                    waitFor(newWork)
                    // An officer chooses among every kind; all are on until turned off.
                    NotificationKind.entries.forEach { waitFor(labels.getValue(it)) }
                    switch(newWork, NotificationChannel.EMAIL).assertIsOn()
                    pointerAway()
                    screenshot("24-notification-choices")

                    tap(switchName(newWork, NotificationChannel.EMAIL))
                    switch(newWork, NotificationChannel.EMAIL).assertIsOff()
                    switch(newWork, NotificationChannel.PHONE).assertIsOn()

                    // Half an address is caught before the server sees it.
                    type(t(S.notification_prefs_email), "petugas@dpu")
                    waitFor(t(S.notification_prefs_email_invalid))
                    ui.onNode(hasText(t(S.notification_prefs_save)) and hasClickAction()).assertIsNotEnabled()
                    type(t(S.notification_prefs_email), ".makassar.go.id")
                    waitGone(t(S.notification_prefs_email_invalid))
                    tap(languageName(emailLanguage))

                    tap(t(S.notification_prefs_save))
                    waitFor(t(S.notification_prefs_saved))
                    // The saved note makes the bar taller: show the address and both languages above it.
                    ui.onNode(hasText(t(S.language_english)) and isSelectable()).performScrollTo()
                    pointerAway()
                    screenshot("25-notification-choices-saved")
                }

                // What the server now holds, read through the Kotlin layer on another phone.
                val stored = runBlocking { Phone(server, "petugas").repo.notificationPreferences() }
                assertEquals(address, stored.email)
                assertEquals(emailLanguage, stored.language)
                fun stored(kind: NotificationKind, channel: NotificationChannel) =
                    stored.choices.firstOrNull { it.kind == kind && it.channel == channel }?.enabled ?: true
                assertFalse(stored(NotificationKind.NEW_WORK, NotificationChannel.EMAIL))
                assertEquals(true, stored(NotificationKind.NEW_WORK, NotificationChannel.PHONE))
                assertEquals(true, stored(NotificationKind.OVERDUE, NotificationChannel.EMAIL))

                // Signed in afresh on another device: the same choices, read from the server.
                Device(server, language).use { other ->
                    runApp(other) {
                        signIn("petugas")
                        waitFor(t(S.queue_title))
                        tap(t(S.tab_settings))
                        tap(t(S.settings_notifications_open))
                        waitFor(newWork)
                        switch(newWork, NotificationChannel.EMAIL).assertIsOff()
                        switch(newWork, NotificationChannel.PHONE).assertIsOn()
                        switch(labels.getValue(NotificationKind.OVERDUE), NotificationChannel.EMAIL).assertIsOn()
                        waitFor(address)
                        ui.onNode(hasText(languageName(emailLanguage)) and isSelectable()).assertIsSelected()
                        pointerAway()
                        screenshot("26-notification-choices-read-back")
                    }
                }
            }

            // A citizen hears only of their own reports: three kinds, none about work.
            Device(server, language).use { citizen ->
                val labels = citizen.env.store.notificationKinds().associate { it.kind to it.label }
                runApp(citizen) {
                    signIn("warga")
                    waitFor(t(S.my_reports_title))
                    tap(t(S.tab_settings))
                    tap(t(S.settings_notifications_open))
                    waitFor(labels.getValue(NotificationKind.STATUS_CHANGED))
                    waitFor(labels.getValue(NotificationKind.REPLY_WINDOW_CLOSING))
                    waitFor(labels.getValue(NotificationKind.COMPLETED))
                    assertFalse(shows(labels.getValue(NotificationKind.NEW_WORK)))
                    assertFalse(shows(labels.getValue(NotificationKind.DAILY_SUMMARY)))
                }
            }
        }
    }
}

private fun AppDriver.languageName(language: Language) = t(if (language == Language.EN) S.language_english else S.language_indonesian)

/** How a screen reader names one kind's switch for one channel. */
private fun AppDriver.switchName(kindLabel: String, channel: NotificationChannel): String =
    t(S.notification_prefs_switch, kindLabel, t(if (channel == NotificationChannel.EMAIL) S.notification_prefs_by_email else S.notification_prefs_phone))

/** The desktop's pointer rests where the last tap was; its hover shade is no part of the screen. */
private fun AppDriver.pointerAway() {
    ui.onRoot().performMouseInput { moveTo(topRight) }
    ui.waitForIdle()
}

private fun AppDriver.switch(kindLabel: String, channel: NotificationChannel) =
    ui.onNode(hasContentDescription(switchName(kindLabel, channel)) and isToggleable())
