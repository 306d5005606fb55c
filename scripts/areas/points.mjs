// Writes the villages' points (their centroids' latitude and longitude, 4 decimals, about 11 m)
// from the geografis package (MIT), one line per village in code order:
//   73.71.10.1005	-5.1826	119.4197
// core/src/catalog/points.rs reads it; a district's, city's or province's point is the mean of
// its villages'. scripts/areas.sh compresses it to core/data/area-points.tsv.zst.
import { readFileSync } from 'node:fs';

const base = new URL('./node_modules/geografis/', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', base)));
const provinces = JSON.parse(readFileSync(new URL('data/json/collection.json', base)));
const rows = [];
for (const p of provinces)
  for (const c of p.cities)
    for (const d of c.districts)
      for (const v of d.villages) {
        if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(v.code)) throw new Error(`village code '${v.code}'`);
        const { latitude: lat, longitude: lon } = v;
        // Indonesia lies within 6.5°N..11.5°S, 94.5°E..141.5°E; anything else is a slip.
        if (!(lat > -11.5 && lat < 6.5 && lon > 94.5 && lon < 141.5)) continue;
        rows.push([v.code, lat.toFixed(4), lon.toFixed(4)]);
      }
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const out = [
  `#source\t${pkg.name}@${pkg.version}`,
  `#licence\t${pkg.license} (${pkg.repository})`,
  `#count\t${rows.length}`,
  ...rows.map((r) => r.join('\t')),
];
process.stdout.write(out.join('\n') + '\n');
