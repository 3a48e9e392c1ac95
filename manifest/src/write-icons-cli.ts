// Regenerates the committed icons: npx tsx manifest/src/write-icons-cli.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_PACKAGE_FOLDER } from './build-app-package.js';
import { ADDIN_ICON_SIZES, drawColorIcon, drawOutlineIcon } from './icons.js';

writeFileSync(path.join(APP_PACKAGE_FOLDER, 'color.png'), drawColorIcon());
writeFileSync(path.join(APP_PACKAGE_FOLDER, 'outline.png'), drawOutlineIcon());
for (const size of ADDIN_ICON_SIZES) {
  writeFileSync(
    path.join(APP_PACKAGE_FOLDER, 'addin-icons', `icon-${size}.png`),
    drawColorIcon(size),
  );
}
console.log(`icons written to ${APP_PACKAGE_FOLDER}`);
