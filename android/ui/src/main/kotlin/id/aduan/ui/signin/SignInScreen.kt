package id.aduan.ui.signin

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import id.aduan.ui.strings.S
import id.aduan.ui.strings.stringResource
import id.aduan.ui.strings.LocalLanguage
import id.aduan.ui.common.text
import id.aduan.core.Language

@Composable
fun SignInScreen(viewModel: SignInViewModel, onLanguage: (Language) -> Unit, onTrack: (serverUrl: String) -> Unit) {
    val state by viewModel.state.collectAsStateWithLifecycle()
    val language = LocalLanguage.current

    Scaffold { padding ->
        Column(
            modifier = Modifier
                .fillMaxSize()
                .padding(padding)
                .imePadding()
                .verticalScroll(rememberScrollState())
                .padding(horizontal = 24.dp, vertical = 16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.End) {
                val other = if (language == Language.EN) Language.ID else Language.EN
                TextButton(onClick = { onLanguage(other) }) {
                    Text(stringResource(if (other == Language.EN) S.language_english else S.language_indonesian))
                }
            }
            Text(stringResource(S.app_name), style = MaterialTheme.typography.displaySmall)
            Text(
                stringResource(S.signin_intro),
                style = MaterialTheme.typography.bodyLarge,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            state.signedOut?.let { report ->
                Card(
                    colors = CardDefaults.cardColors(
                        containerColor = MaterialTheme.colorScheme.secondaryContainer,
                        contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
                    ),
                    modifier = Modifier.fillMaxWidth(),
                ) {
                    Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(stringResource(S.signout_done), style = MaterialTheme.typography.bodyMedium)
                        if (state.discardedWork) {
                            Text(stringResource(S.signout_done_discarded), style = MaterialTheme.typography.bodySmall)
                        }
                        if (!report.serverSessionEnded) {
                            Text(stringResource(S.signout_server_unreached), style = MaterialTheme.typography.bodySmall)
                        }
                    }
                }
            }
            Spacer(Modifier.height(8.dp))

            OutlinedTextField(
                value = state.serverUrl,
                onValueChange = viewModel::setServerUrl,
                label = { Text(stringResource(S.signin_server)) },
                placeholder = { Text(stringResource(S.signin_server_hint)) },
                singleLine = true,
                enabled = !state.busy,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri, imeAction = ImeAction.Next),
                modifier = Modifier.fillMaxWidth(),
            )

            Text(stringResource(S.signin_with_account), style = MaterialTheme.typography.titleMedium)
            OutlinedTextField(
                value = state.account,
                onValueChange = viewModel::setAccount,
                label = { Text(stringResource(S.signin_account)) },
                singleLine = true,
                enabled = !state.busy,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email, imeAction = ImeAction.Next),
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                value = state.password,
                onValueChange = viewModel::setPassword,
                label = { Text(stringResource(S.signin_password)) },
                singleLine = true,
                enabled = !state.busy,
                visualTransformation = PasswordVisualTransformation(),
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password, imeAction = ImeAction.Done),
                keyboardActions = KeyboardActions(onDone = { viewModel.signIn() }),
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = viewModel::signIn, enabled = state.canSignIn, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(S.signin_button))
            }

            HorizontalDivider(Modifier.padding(vertical = 8.dp))

            Text(stringResource(S.signin_anonymous_title), style = MaterialTheme.typography.titleMedium)
            Text(
                stringResource(S.signin_anonymous_explained),
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            OutlinedButton(
                onClick = viewModel::continueAnonymously,
                enabled = state.canContinueAnonymously,
                modifier = Modifier.fillMaxWidth(),
            ) {
                Text(stringResource(S.signin_anonymous_button))
            }

            if (state.busy) {
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                    CircularProgressIndicator()
                    Text(stringResource(S.signin_busy))
                }
            }
            state.message?.let { message ->
                Text(message.text(), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium)
            }

            HorizontalDivider(Modifier.padding(vertical = 8.dp))

            // Anyone holding a tracking number follows that report, signed in or not.
            Text(stringResource(S.signin_track_title), style = MaterialTheme.typography.titleMedium)
            OutlinedButton(
                onClick = { onTrack(state.serverUrl.trim()) },
                enabled = state.canTrack,
                modifier = Modifier.fillMaxWidth(),
            ) {
                Text(stringResource(S.signin_track_button))
            }
        }
    }
}
