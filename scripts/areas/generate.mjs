// Writes Indonesia's administrative areas from the idn-area-data package as one compact text
// (to standard output), in code order, each line a level letter, the last part of its
// Kemendagri code and the name:
//   P73  Sulawesi Selatan        (province 73)
//   R71  Kota Makassar           (regency or city 73.71)
//   D10  Tamalate                (district 73.71.10)
//   V1005 Mangasa                (village 73.71.10.1005: 1xxx kelurahan, 2xxx desa)
// A line holds its parent's code by following it, which keeps the file small; core reads it
// back with full codes (core/src/catalog/areas.rs). scripts/areas.sh compresses it.
import { readFileSync } from 'node:fs';
import { getDistricts, getProvinces, getRegencies, getVillages } from 'idn-area-data';

const pkg = JSON.parse(
  readFileSync(new URL('./node_modules/idn-area-data/package.json', import.meta.url)),
);
const rows = [
  ...(await getProvinces()).map((a) => ['P', a.code, a.name]),
  ...(await getRegencies()).map((a) => ['R', a.code, a.name]),
  ...(await getDistricts()).map((a) => ['D', a.code, a.name]),
  ...(await getVillages()).map((a) => ['V', a.code, a.name]),
];
const form = { P: /^\d{2}$/, R: /^\d{2}\.\d{2}$/, D: /^\d{2}\.\d{2}\.\d{2}$/, V: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/ };
const seen = new Set();
for (const [level, code, name] of rows) {
  if (!form[level].test(code)) throw new Error(`${level} code '${code}' is not of the Kemendagri form`);
  if (seen.has(code)) throw new Error(`code ${code} appears twice`);
  if (/[\t\r\n]/.test(name) || name.trim() === '') throw new Error(`name of ${code} is empty or has a tab or newline`);
  seen.add(code);
}
for (const [, code] of rows) {
  const parent = code.split('.').slice(0, -1).join('.');
  if (parent && !seen.has(parent)) throw new Error(`${code} has no parent ${parent}`);
}
rows.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
const count = (l) => rows.filter((r) => r[0] === l).length;
const out = [
  `#source\t${pkg.name}@${pkg.version}`,
  '#licence\tOpen Database License (ODbL) 1.0, see core/data/areas-LICENSE.md',
  `#counts\t${count('P')} ${count('R')} ${count('D')} ${count('V')}`,
  ...rows.map(([level, code, name]) => `${level}${code.split('.').pop()}\t${name.trim()}`),
];
process.stdout.write(`${out.join('\n')}\n`);
