package id.aduan.ui

import id.aduan.app.AduanRepository
import id.aduan.core.AduanStore
import id.aduan.core.ComplaintDraft
import id.aduan.core.Location
import id.aduan.core.ReportKind
import id.aduan.core.WorkflowAction
import kotlinx.coroutines.runBlocking
import java.nio.file.Files

/** Another person's phone, driven through the Kotlin layer (the part of a story not under test). */
class Phone(server: TestServer, account: String) {
    /** Core itself, for what the app's repository does not wrap (a named report with its contact). */
    val store: AduanStore = AduanStore.open(Files.createTempDirectory("aduan-$account").toString())
    val repo = AduanRepository(store)

    init {
        runBlocking { repo.login(server.url, account, "aduan-demo") }
    }

    fun sync() = runBlocking { repo.sync() }
}

fun drainageReport(title: String) = ComplaintDraft(
    kind = ReportKind.COMPLAINT,
    categoryId = "pu.drainase",
    title = title,
    description = "Air meluap ke jalan setiap hujan.",
    location = Location(
        latitude = -5.1856, longitude = 119.4237, accuracyM = 12.0,
        address = "Jl. Sultan Alauddin", province = "Sulawesi Selatan", city = "Kota Makassar",
        kecamatan = "Tamalate", kelurahan = "Mangasa",
    ),
    anonymous = false,
    confidential = false,
    photos = emptyList(),
)

/**
 * The citizen's reports taken to units of Kota Makassar in one go: filed and sent, dispatched by
 * the national administrator, each assigned by the city's administrator to its unit. Returns
 * the complaints' ids in the order given.
 */
fun reportsAssigned(server: TestServer, citizen: Phone, reports: List<Pair<ComplaintDraft, String>>): List<String> = runBlocking {
    val ids = reports.map { (draft, _) -> citizen.repo.file(draft).summary.id }
    citizen.repo.sync()
    val national = Phone(server, "admin-nasional")
    national.repo.sync()
    ids.forEach { national.repo.perform(it, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot") }
    national.repo.sync()
    val city = Phone(server, "admin-makassar")
    city.repo.sync()
    ids.zip(reports).forEach { (id, report) -> city.repo.perform(id, WorkflowAction.Assign(report.second, false), "Mohon ditangani") }
    city.repo.sync()
    ids
}

/**
 * A citizen's report taken to the Dinas PU's officers the way the workflow does: filed, sent,
 * dispatched to Kota Makassar by the national administrator, assigned to the unit by the city's.
 * [fieldInspection] gives the unit a longer deadline. Returns the complaint's id.
 */
fun reportAssignedToDinasPu(server: TestServer, citizen: Phone, title: String, fieldInspection: Boolean): String = runBlocking {
    val id = citizen.repo.file(drainageReport(title), photos = listOf(jpeg(640, 480))).summary.id
    citizen.repo.sync()
    val national = Phone(server, "admin-nasional")
    national.repo.sync()
    national.repo.perform(id, WorkflowAction.Dispatch("kota-makassar"), "Wewenang Pemkot")
    national.repo.sync()
    val city = Phone(server, "admin-makassar")
    city.repo.sync()
    city.repo.perform(id, WorkflowAction.Assign("kota-makassar.dpu", fieldInspection), "Mohon ditangani")
    city.repo.sync()
    id
}
