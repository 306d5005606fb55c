// Gives a directory file's regional government, kecamatan and kelurahan units their Kemendagri
// area codes from idn-area-data, and adds a kelurahan unit for each village of the region that
// has none. Names are matched within the kecamatan, loosely (the directory's spellings differ:
// "Bara-Baraya" for "Bara Baraya", "Mattoanging" for "Mattoangin"); anything left unmatched stops
// the run. Usage: node scripts/areas/map-region.mjs core/data/region-makassar.json kota-makassar=73.71 ...
import { readFileSync, writeFileSync } from 'node:fs';
import { getDistricts, getVillages } from 'idn-area-data';

const [file, ...pairs] = process.argv.slice(2);
const dir = JSON.parse(readFileSync(file, 'utf8'));
const districts = await getDistricts();
const villages = await getVillages();
const key = (s) =>
  s.toLowerCase().replace(/^(kelurahan|kecamatan|desa)\s+/, '').replace(/[^a-z]/g, '').replace(/(.)\1/g, '$1');
const distance = (a, b) => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
};
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

for (const pair of pairs) {
  const [id, code] = pair.split('=');
  const inst = dir.institutions.find((i) => i.id === id);
  if (!inst) throw new Error(`no institution ${id}`);
  inst.area = code;
  const ownDistricts = districts.filter((d) => d.regency_code === code);
  for (const unit of inst.units.filter((u) => u.kind === 'kecamatan')) {
    const d = ownDistricts.find((x) => key(x.name) === key(unit.name));
    if (!d) throw new Error(`${unit.id}: no district of ${code} is named so`);
    unit.area = d.code;
  }
  for (const d of ownDistricts) {
    const office = inst.units.find((u) => u.kind === 'kecamatan' && u.area === d.code);
    if (!office) continue;
    const own = villages.filter((v) => v.district_code === d.code);
    const units = inst.units.filter((u) => u.kind === 'kelurahan' && u.parent === office.id);
    const free = new Set(own);
    // Exact (loose) names first, then the nearest spelling among what is left.
    for (const pass of [0, 1]) {
      for (const unit of units.filter((u) => !u.area)) {
        const ranked = [...free]
          .map((v) => [distance(key(v.name), key(unit.name)), v])
          .sort((a, b) => a[0] - b[0]);
        if (ranked.length && (ranked[0][0] === 0 || (pass === 1 && ranked[0][0] <= 2))) {
          unit.area = ranked[0][1].code;
          free.delete(ranked[0][1]);
        }
      }
    }
    const left = units.filter((u) => !u.area).map((u) => u.id);
    if (left.length) throw new Error(`no village found for ${left.join(', ')}`);
    for (const v of free) {
      const unit = {
        id: `${office.id.replace('.kec-', '.kel-')}-${slug(v.name)}`,
        name: `Kelurahan ${v.name}`,
        kind: 'kelurahan',
        parent: office.id,
        categories: [],
        area: v.code,
      };
      inst.units.splice(inst.units.indexOf(units.at(-1) ?? office) + 1, 0, unit);
      units.push(unit);
      console.error(`added ${unit.id} (${v.code})`);
    }
  }
}
writeFileSync(file, `${JSON.stringify(dir, null, 1)}\n`);
