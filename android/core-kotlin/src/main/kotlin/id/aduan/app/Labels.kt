package id.aduan.app

/**
 * Every string the apps show that core does not already label (core labels statuses, kinds,
 * categories, deadlines, timeline steps and errors). Bahasa Indonesia first; English too.
 * The Android app and the iOS app render these keys; a test checks both languages are whole.
 */
object Labels {
    enum class Lang { ID, EN }

    val id: Map<String, String> = mapOf(
        "app_name" to "Aduan",
        "sign_in" to "Masuk",
        "continue_anonymously" to "Lanjutkan tanpa akun",
        "file_report" to "Buat laporan",
        "my_reports" to "Laporan saya",
        "queue" to "Antrian tugas",
        "kind" to "Jenis laporan",
        "category" to "Kategori",
        "title" to "Judul",
        "description" to "Uraian",
        "location" to "Lokasi",
        "location_accuracy" to "Akurasi %d m",
        "add_photo" to "Tambah foto",
        "anonymous" to "Anonim",
        "anonymous_explained" to "Instansi tidak akan tahu siapa Anda.",
        "confidential" to "Rahasia",
        "confidential_explained" to "Laporan tidak tampil untuk publik; hanya Anda dan instansi penanganan yang dapat melihatnya.",
        "send" to "Kirim",
        "saved_offline" to "Tersimpan di ponsel; akan terkirim saat ada sinyal.",
        "sync_now" to "Sinkronkan",
        "syncing" to "Menyinkronkan…",
        "waiting_to_sync" to "%d menunggu dikirim",
        "last_synced" to "Terakhir tersinkron %s",
        "overdue" to "Terlambat",
        "reply" to "Balas",
        "rate" to "Beri nilai",
        "photo_evidence" to "Foto bukti",
        "refused_by_server" to "Ditolak server",
    )

    val en: Map<String, String> = mapOf(
        "app_name" to "Aduan",
        "sign_in" to "Sign in",
        "continue_anonymously" to "Continue without an account",
        "file_report" to "File a report",
        "my_reports" to "My reports",
        "queue" to "Work queue",
        "kind" to "Kind of report",
        "category" to "Category",
        "title" to "Title",
        "description" to "Description",
        "location" to "Location",
        "location_accuracy" to "Accuracy %d m",
        "add_photo" to "Add photo",
        "anonymous" to "Anonymous",
        "anonymous_explained" to "The institution will not know who you are.",
        "confidential" to "Confidential",
        "confidential_explained" to "The report is not public; only you and the handling institution can see it.",
        "send" to "Send",
        "saved_offline" to "Saved on your phone; it goes out when there is signal.",
        "sync_now" to "Sync now",
        "syncing" to "Syncing…",
        "waiting_to_sync" to "%d waiting to be sent",
        "last_synced" to "Last synced %s",
        "overdue" to "Overdue",
        "reply" to "Reply",
        "rate" to "Rate",
        "photo_evidence" to "Photo evidence",
        "refused_by_server" to "Refused by the server",
    )

    fun get(key: String, lang: Lang = Lang.ID): String =
        (if (lang == Lang.ID) id else en)[key] ?: error("no label '$key'")
}
