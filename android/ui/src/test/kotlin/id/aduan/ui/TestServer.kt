package id.aduan.ui

import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/** A real aduan-server process on loopback with its own data folder and the demo accounts. */
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

/** A JPEG as a camera would hand it over: a gradient, so the thumbnail shows something. */
fun jpeg(width: Int, height: Int, tint: Int = 0): ByteArray {
    val img = BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)
    for (y in 0 until height) for (x in 0 until width) {
        img.setRGB(x, y, ((x * 255 / width + tint) and 0xFF shl 16) or ((y * 255 / height) and 0xFF shl 8) or 0x60)
    }
    val out = ByteArrayOutputStream()
    ImageIO.write(img, "jpg", out)
    return out.toByteArray()
}
