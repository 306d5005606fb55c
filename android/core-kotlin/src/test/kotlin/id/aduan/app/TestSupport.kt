package id.aduan.app

import id.aduan.core.AduanStore
import id.aduan.core.ComplaintDraft
import id.aduan.core.Location
import id.aduan.core.ReportKind
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/** A real aduan-server process on loopback with its own data folder. */
class TestServer : AutoCloseable {
    private val data: Path = Files.createTempDirectory("aduan-server")
    private val process: Process
    val url: String

    init {
        val binary = System.getProperty("aduan.server.binary")
            ?: error("aduan.server.binary is not set (run through Maven)")
        process = ProcessBuilder(binary, "--data", data.toString(), "serve", "--demo", "--listen", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val line = process.inputStream.bufferedReader().readLine() ?: error("server did not start")
        url = line.substringAfterLast(' ')
    }

    override fun close() {
        process.destroy()
        process.waitFor()
    }
}

fun newStore(): AduanStore = AduanStore.open(Files.createTempDirectory("aduan-phone").toString())

fun draft(title: String) = ComplaintDraft(
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

/** A JPEG as a phone camera would hand it over. */
fun jpeg(width: Int, height: Int): ByteArray {
    val img = BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)
    for (y in 0 until height) for (x in 0 until width) img.setRGB(x, y, (x * 7 and 0xFF shl 16) or (y * 5 and 0xFF shl 8) or (x xor y and 0xFF))
    val out = ByteArrayOutputStream()
    ImageIO.write(img, "jpg", out)
    return out.toByteArray()
}
