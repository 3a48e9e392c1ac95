import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_PACKAGE_FOLDER,
  buildAppPackage,
  InvalidManifestError,
  MANIFEST_TEMPLATE,
} from './build-app-package.js';
import { ADDIN_ICON_SIZES, drawColorIcon, drawOutlineIcon } from './icons.js';
import { MissingPlaceholderError } from './resolve-placeholders.js';
import { manifestSchemaErrors, newestBundledManifestVersion } from './validate-manifest.js';

const output = mkdtempSync(path.join(tmpdir(), 'warmpath-package-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

// what provision writes into env/.env.dev
const PROVISIONED = {
  TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
  AAD_APP_CLIENT_ID: '22222222-3333-4444-8555-666666666666',
  BOT_ID: '33333333-4444-4555-8666-777777777777',
  BOT_DOMAIN: 'app-warmpath-dev.azurewebsites.net',
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function unzip(zipPath: string): Promise<JSZip> {
  return JSZip.loadAsync(readFileSync(zipPath));
}

function readPng(buffer: Buffer): PNG {
  return PNG.sync.read(buffer);
}

describe('the manifest template', () => {
  const template = JSON.parse(readFileSync(MANIFEST_TEMPLATE, 'utf8')) as Json;

  it('uses the newest schema version @microsoft/app-manifest ships', () => {
    const newest = newestBundledManifestVersion();
    expect(template.manifestVersion).toBe(newest);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`,
    );
  });
});

describe('npm run package for the local environment', async () => {
  const built = await buildAppPackage({ envName: 'local', outputFolder: output });
  const zip = await unzip(built.zipPath);
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Json;

  it('zips exactly the manifest and its two icons', () => {
    const files = Object.values(zip.files)
      .filter((entry) => !entry.dir)
      .map((entry) => entry.name)
      .sort();
    expect(files).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('packs a manifest that validates against the official schema offline', async () => {
    expect(await manifestSchemaErrors(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('has the bot in personal, team and group chat scopes', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('points the personal tab and the admin tab at the service /tab/ routes', () => {
    const urls = manifest.staticTabs
      .filter((tab: Json) => tab.contentUrl)
      .map((tab: Json) => tab.contentUrl);
    // the tab routes by hash (#/admin): Teams and Office hosts may null history.pushState
    expect(urls).toEqual(['https://localhost:3978/tab/', 'https://localhost:3978/tab/#/admin']);
  });

  it('declares SSO for the Entra app on the service domain', () => {
    const clientId = '6f0c1a2b-0000-4000-8000-00000000a002';
    expect(manifest.webApplicationInfo.id).toBe(clientId);
    expect(manifest.webApplicationInfo.resource).toBe(`api://localhost:3978/${clientId}`);
    expect(manifest.validDomains).toContain('localhost:3978');
  });

  it('brings the Outlook add-in for reading mail, attending meetings and composing', () => {
    const [extension] = manifest.extensions as Json[];
    const contexts = extension!.ribbons.flatMap((ribbon: Json) => ribbon.contexts);
    expect(contexts).toEqual(
      expect.arrayContaining(['mailRead', 'meetingDetailsAttendee', 'mailCompose']),
    );
    expect(extension!.runtimes[0].code.page).toBe('https://localhost:3978/addin/');
  });

  it('packs a 192×192 colour icon and a 32×32 outline icon', async () => {
    const color = readPng(await zip.file('color.png')!.async('nodebuffer'));
    const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('packs an outline icon that is white on a transparent background', async () => {
    const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
    let transparent = 0;
    let drawn = 0;
    for (let offset = 0; offset < outline.data.length; offset += 4) {
      const [r, g, b, a] = outline.data.subarray(offset, offset + 4);
      if (a === 0) transparent++;
      else {
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
    expect(drawn).toBeGreaterThan(0);
    // corners are background
    expect(outline.data[3]).toBe(0);
    expect(outline.data[outline.data.length - 1]).toBe(0);
  });
});

describe('npm run package for an Azure environment', () => {
  it('resolves the dev environment once provision has written the generated ids', async () => {
    const built = await buildAppPackage({
      envName: 'dev',
      outputFolder: output,
      processEnv: PROVISIONED,
    });
    expect(built.manifest.id).toBe(PROVISIONED.TEAMS_APP_ID);
    expect(await manifestSchemaErrors(built.manifest)).toEqual([]);
  });

  it('names every id still missing before provision', async () => {
    const attempt = buildAppPackage({ envName: 'dev', outputFolder: output, processEnv: {} });
    await expect(attempt).rejects.toBeInstanceOf(MissingPlaceholderError);
    await expect(attempt).rejects.toThrow(
      /needs TEAMS_APP_ID, BOT_ID, BOT_DOMAIN, AAD_APP_CLIENT_ID:/,
    );
  });

  it('refuses an environment that has no env file', async () => {
    await expect(buildAppPackage({ envName: 'nowhere', outputFolder: output })).rejects.toThrow(
      /No environment "nowhere"/,
    );
  });

  it('refuses a manifest the schema rejects, listing each problem', async () => {
    const attempt = buildAppPackage({
      envName: 'dev',
      outputFolder: output,
      processEnv: { ...PROVISIONED, BOT_ID: 'not-a-guid' },
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidManifestError);
    await expect(attempt).rejects.toThrow(/\/bots\/0\/botId must match pattern/);
  });
});

describe('the schema check', () => {
  it('reports a missing required field and a wrong add-in context', async () => {
    const built = await buildAppPackage({ envName: 'local', outputFolder: output });
    const broken = structuredClone(built.manifest) as Json;
    delete broken.developer.privacyUrl;
    broken.extensions[0].ribbons[0].contexts.push('inboxSidebar');
    const errors = await manifestSchemaErrors(broken);
    expect(errors.join('\n')).toContain("/developer must have required property 'privacyUrl'");
    expect(errors.join('\n')).toContain('/extensions/0/ribbons/0/contexts/2');
  });
});

describe('the committed icons', () => {
  it('are the ones icons.ts draws, so they can be regenerated', () => {
    expect(readFileSync(path.join(APP_PACKAGE_FOLDER, 'color.png'))).toEqual(drawColorIcon());
    expect(readFileSync(path.join(APP_PACKAGE_FOLDER, 'outline.png'))).toEqual(drawOutlineIcon());
  });

  it('include the add-in ribbon icons at 16, 32 and 80 pixels', () => {
    for (const size of ADDIN_ICON_SIZES) {
      const icon = readPng(
        readFileSync(path.join(APP_PACKAGE_FOLDER, 'addin-icons', `icon-${size}.png`)),
      );
      expect([icon.width, icon.height]).toEqual([size, size]);
    }
  });
});
