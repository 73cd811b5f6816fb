import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchBrowser, screenshot } from '../support/browser.js';
import { LocalStackProcess } from '../support/local-stack.js';
import { TestOidcProvider } from '../support/oidc-provider.js';

/**
 * Sign-in as in AWS: the console sends the browser to the OIDC provider (authorization code + PKCE),
 * exchanges the code, and calls the API with the provider's token, which the gateway verifies against
 * the provider's JWKS.
 */
describe.skipIf(chromiumMissing)('console sign-in with an OIDC provider', () => {
  const provider = new TestOidcProvider({
    clientId: 'jcg-console',
    audience: 'jcg-subsidy',
    person: { sub: 'kejiju-reviewer-7', name: '科技局审核员', role: 'reviewer', dept: 'kejiju' },
    // Shorter than the console's renewal margin: every call renews the token first.
    accessTokenSeconds: 30,
  });
  let stack: LocalStackProcess;
  let browser: Browser;

  beforeAll(async () => {
    await provider.start();
    stack = new LocalStackProcess({
      inMemory: true,
      env: { OIDC_ISSUER: provider.url, OIDC_AUDIENCE: 'jcg-subsidy', OIDC_CLIENT_ID: 'jcg-console' },
    });
    await stack.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await provider.stop();
  });

  it('signs in through the provider with PKCE and uses its token on the API', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${stack.url}/#/tasks`);
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();

    const authorize = provider.authorizeRequests.at(-1)!;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('redirect_uri')).toBe(`${stack.url}/`);
    expect(authorize.get('scope')).toContain('openid');
    expect(provider.tokenRequests).toEqual([{ verified: true }]);
    // Back where the person started, with the code gone from the address bar.
    expect(page.url()).toBe(`${stack.url}/#/tasks`);
    expect(await page.locator('header').textContent()).toContain('审核人员 · 市科技局 · 科技局审核员');
    // The task list came from the API with the provider's token.
    await page.getByText('当前没有待办任务').waitFor();
    await screenshot(page, '20-oidc-signed-in');

    // The access token was about to expire: the console renewed it with the (rotating) refresh token,
    // once per call, and the page did not start over because of it.
    const renewals = provider.refreshRequests.length;
    expect(renewals).toBeGreaterThan(0);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText('当前没有待办任务').waitFor();
    await page.waitForLoadState('networkidle');
    expect(provider.refreshRequests.length - renewals).toBeLessThanOrEqual(2);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('button', { name: '退出' }).count()).toBe(1);
    await page.close();
  });

  it('the gateway accepts the provider’s tokens only for the API’s audience', async () => {
    const call = async (token: string) => (await fetch(`${stack.url}/tasks`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await call(await provider.accessToken())).toBe(200);
    expect(await call(await provider.accessToken(undefined, 'another-api'))).toBe(401);
  });
});
