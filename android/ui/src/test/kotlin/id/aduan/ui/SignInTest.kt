package id.aduan.ui

import id.aduan.core.Language
import id.aduan.ui.strings.S
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.junit.jupiter.api.Assertions.assertTrue

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInTest {
    private val server = TestServer()

    @AfterAll
    fun stop() = server.close()

    @ParameterizedTest
    @EnumSource(Language::class)
    fun `a citizen signs in and lands on their reports`(language: Language) {
        Device(server, language).use { phone ->
            runApp(phone) {
                waitFor(t(S.signin_button))
                screenshot("01-sign-in")
                signIn("warga")
                waitFor(t(S.my_reports_title))
                assertTrue(shows(t(S.tab_settings)))
                screenshot("02-my-reports-empty")
            }
        }
    }
}
