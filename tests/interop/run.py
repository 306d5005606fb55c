"""The server through clients and validators written elsewhere, from PyPI (issue 16): a real
aduan-server on loopback, an Open311 API key from its own command line, then

- civicbot's Open311Client lists the services, reads a definition, files a request with the
  key and reads it back by id, by token and in the list;
- georeport's GeoReport client reads the services and the request as XML;
- openapi-spec-validator validates /openapi.json.

Usage: run.py target/debug/aduan-server
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

SERVER = None


class Server:
    def __init__(self, binary):
        self.binary = binary
        self.data = tempfile.TemporaryDirectory(prefix="aduan-interop-")
        self.proc = subprocess.Popen(
            [binary, "--data", self.data.name, "serve", "--listen", "127.0.0.1:0", "--demo"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def manage(self, *args):
        out = subprocess.run([self.binary, "--data", self.data.name, *args],
                             check=True, capture_output=True, text=True)
        return out.stdout

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.data.cleanup()


class Open311ThroughIndependentClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from civicbot.http import HttpTransport, RateLimiter
        from civicbot.open311 import Open311Client
        from civicbot.registry import Endpoint

        # "key <id> for account <account>: <key>"
        cls.key = SERVER.manage("open311-key-add", "--system", "civicbot").split()[-1]
        endpoint = Endpoint(id="aduan", name="Aduan", base_url=SERVER.url + "/open311/v2",
                            write=True)
        cls.client = Open311Client(
            endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))

    def file(self):
        prepared = self.client.create_request(
            "pu.drainase", dry_run=False, confirm="SEND", api_key=self.key,
            validate_remote=True, lat=-5.1712, lng=119.4321, address_string="Jl. Kenari 7",
            description="Selokan tersumbat sampah sejak seminggu", first_name="Daeng",
            last_name="Rahmat", phone="0812-3456-7890",
            attributes={"kind": "pengaduan", "kelurahan": "Mangasa", "city": "Kota Makassar"})
        self.assertFalse(prepared.dry_run)
        answer = prepared.response[0]
        return answer["service_request_id"], answer["token"]

    def test_civicbot_lists_services_files_with_a_key_and_reads_it_back(self):
        services = self.client.list_services()
        codes = {s["service_code"] for s in services}
        self.assertIn("pu.drainase", codes)
        definition = self.client.get_service_definition("pu.drainase")
        self.assertEqual(definition["service_code"], "pu.drainase")

        request_id, token = self.file()
        self.assertTrue(request_id.startswith("ADU-"), request_id)
        read = self.client.get_request(request_id)
        self.assertEqual(read["service_request_id"], request_id)
        self.assertEqual(read["status"], "open")
        self.assertEqual(read["service_code"], "pu.drainase")
        self.assertEqual(self.client.get_token(token)[0]["service_request_id"], request_id)
        listed = self.client.list_requests(service_request_ids=[request_id])
        self.assertEqual([r["service_request_id"] for r in listed], [request_id])
        # What the public view leaves out stays out.
        text = json.dumps(read) + json.dumps(listed)
        for private in ("Daeng", "Rahmat", "0812", "Kenari", "-5.1712"):
            self.assertNotIn(private, text)

    def test_civicbot_without_a_key_files_nothing(self):
        from civicbot.http import HttpError
        prepared = self.client.build_request(
            "pu.drainase", address_string="Jl. Kenari 7", description="Selokan tersumbat")
        with self.assertRaises(HttpError) as refused:
            self.client.http.post_form(prepared.url, prepared.form)
        self.assertEqual(refused.exception.status, 403)
        self.assertEqual(json.loads(refused.exception.body)[0]["code"], 403)

    def test_georeport_reads_services_and_the_request_as_xml(self):
        from georeport import GeoReport
        request_id, _ = self.file()
        xml = GeoReport(SERVER.url + "/open311/v2", output_format="xml")
        services = xml.get_service_list()
        self.assertIn("pu.drainase", {s["service_code"] for s in services})
        definition = xml.get_service_definition("pu.drainase")
        self.assertEqual(definition["service_code"], "pu.drainase")
        read = xml.get_service_request(request_id)
        self.assertEqual(read["service_request_id"], request_id)
        self.assertEqual(read["status"], "open")
        self.assertEqual(read["address"], "Mangasa, Kota Makassar")


class OpenApiDocument(unittest.TestCase):
    def test_openapi_document_validates(self):
        from openapi_spec_validator import validate
        with urllib.request.urlopen(SERVER.url + "/openapi.json") as resp:
            document = json.load(resp)
        self.assertEqual(document["openapi"], "3.1.0")
        validate(document)
        self.assertIn("/open311/v2/requests.json", document["paths"])
        self.assertIn("/v1/sync", document["paths"])


def main():
    global SERVER
    SERVER = Server(os.path.abspath(sys.argv[1]))
    try:
        result = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2).result
    finally:
        SERVER.stop()
    failed = len(result.failures) + len(result.errors)
    print(f"interop: {result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed or not result.wasSuccessful() else 0)


if __name__ == "__main__":
    main()
