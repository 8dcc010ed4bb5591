#!/usr/bin/env node
// Writes the partner map's outlines from Natural Earth (npm world-atlas) as static SVG, and the
// projection each was drawn with as JSON, which partners/map.py reads to place the markers:
//
//     node scripts/build_map.mjs [OUT_DIR]      (after npm ci; OUT_DIR: static/map)
//
// static/map/world.svg    the world, countries-110m
// static/map/europe.svg   Europe, countries-50m, clipped to the frame
// static/map/projection.json   per map: width, height, scale, translate, and sample points
//                              (lat/lon and where this script put them) for the Python test
//
// Both use Natural Earth I without rotation, so a point is x = tx + k·X(λ, φ),
// y = ty − k·Y(λ, φ): the same few lines in partners/map.py. Output is deterministic, so a
// second run gives the committed files byte for byte.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { geoNaturalEarth1, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] || join(root, "static", "map");
const atlasDir = dirname(require.resolve("world-atlas/package.json"));
const atlasVersion = JSON.parse(readFileSync(join(atlasDir, "package.json"))).version;

// Points the Python projection is checked against (tests/partners/test_map_projection.py).
const SAMPLES = [
  { name: "Kaunas", lat: 54.8985, lon: 23.9036 },
  { name: "Wuhan", lat: 30.5928, lon: 114.3055 },
  { name: "Brussels", lat: 50.8503, lon: 4.3517 },
  { name: "Fargo", lat: 46.8772, lon: -96.7898 },
  { name: "Null Island", lat: 0, lon: 0 },
];

const MAPS = {
  world: {
    atlas: "countries-110m.json",
    width: 960,
    height: 500,
    // The whole sphere, with a small margin.
    fit: { type: "Sphere" },
    margin: 4,
  },
  europe: {
    atlas: "countries-50m.json",
    width: 640,
    height: 560,
    // From the Bay of Biscay to the Baltic, the Mediterranean's north shore to mid-Norway.
    fit: {
      type: "MultiPoint",
      coordinates: [
        [-10, 43],
        [32, 43],
        [-10, 64],
        [32, 64],
      ],
    },
    margin: 0,
    clip: true,
  },
};

const round = (n) => Math.round(n * 1e6) / 1e6;
const projectionJson = {
  generator: "scripts/build_map.mjs",
  source: `Natural Earth via world-atlas ${atlasVersion}`,
  projection: "naturalEarth1",
  maps: {},
};

for (const [name, spec] of Object.entries(MAPS)) {
  const topo = JSON.parse(readFileSync(join(atlasDir, spec.atlas)));
  const { width, height, margin } = spec;
  const projection = geoNaturalEarth1().fitExtent(
    [
      [margin, margin],
      [width - margin, height - margin],
    ],
    spec.fit,
  );
  if (spec.clip) projection.clipExtent([
    [0, 0],
    [width, height],
  ]);
  const path = geoPath(projection).digits(1);
  const land = path(feature(topo, topo.objects.land));
  const borders = path(mesh(topo, topo.objects.countries, (a, b) => a !== b));
  const sphere = path({ type: "Sphere" });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<path d="${sphere}" fill="#dce9f2"/>`,
    `<path d="${land}" fill="#f4f1ea" stroke="#8c8c8c" stroke-width="0.5"/>`,
    `<path d="${borders}" fill="none" stroke="#b3b3b3" stroke-width="0.4"/>`,
    `</svg>`,
    "",
  ].join("\n");
  writeFileSync(join(out, `${name}.svg`), svg);

  const [tx, ty] = projection.translate();
  projectionJson.maps[name] = {
    file: `map/${name}.svg`,
    width,
    height,
    scale: round(projection.scale()),
    translate: [round(tx), round(ty)],
    samples: SAMPLES.map((p) => {
      const [x, y] = projection([p.lon, p.lat]);
      return { ...p, x: round(x), y: round(y) };
    }),
  };
  console.log(`${name}.svg: ${svg.length} bytes`);
}

writeFileSync(join(out, "projection.json"), JSON.stringify(projectionJson, null, 2) + "\n");
copyFileSync(join(atlasDir, "LICENSE"), join(out, "LICENSE-world-atlas.txt"));
