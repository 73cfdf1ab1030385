// PRODUCT B1, B5: a person applies to stream; staff reject with a reason, the person reads it in a
// notice and applies again; staff approve; the person reads that too, and verifies their real name
// with the camera, as going live will need.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withApp } from './support/browser.mjs';
import { en, fill } from './support/i18n.mjs';
import { cameraUse, residentId, signedInAccount, watchCamera } from './support/live.mjs';
import { acceptPolicy, consentPurposes, logInWithCode, mainNav, names } from './support/person.mjs';

/** The server's answer to the next call of `apiPath` (method and path), as JSON. */
function nextAnswer(page, method, apiPath) {
  return page
    .waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(apiPath))
    .then((r) => r.json());
}

test('a person applies as a streamer, staff reject then approve, the person reads both notices and verifies their real name', { timeout: 240_000 }, () =>
  withApp(async ({ server, open }) => {
    const needed = names((await consentPurposes(server)).filter((p) => p.necessary));

    // ------------------------------------------------------------ A applies
    const a = await open({ prepare: watchCamera });
    const applicant = a.page;
    await acceptPolicy(applicant, needed);
    await logInWithCode(applicant, '13300133000');
    await mainNav(applicant).getByRole('link', { name: en['nav.studio'] }).click();
    await applicant.getByTestId('application-status').filter({ hasText: en['studio.none'] }).waitFor();
    // Not verified: the name is asked for, with the way to verify first.
    await applicant.getByRole('link', { name: en['studio.verifyFirst'] }).waitFor();
    assert.equal(await applicant.getByTestId('verified-name-note').count(), 0);

    await applicant.getByLabel(en['studio.name']).fill('张三');
    const scope = applicant.getByLabel(en['studio.scope']);
    for (const option of ['career', 'recruitment', 'lecture', 'entertainment']) {
      assert.equal(await scope.locator(`option[value="${option}"]`).innerText(), en[`scope.${option}`]);
    }
    await scope.selectOption('career');
    await applicant.getByLabel(en['studio.intro']).fill('Short');
    assert.equal(
      await applicant.getByTestId('intro-count').innerText(),
      fill(en['studio.introCount'], { count: 5, max: 500 }),
    );
    // Too short: the server says so, in the person's language.
    let answer = nextAnswer(applicant, 'POST', '/streamer/application');
    await applicant.getByRole('button', { name: en['studio.apply'] }).click();
    let body = await answer;
    assert.equal(body.error.code, 'application_intro_invalid');
    await applicant.getByRole('alert').filter({ hasText: body.error.message.en }).waitFor();

    await applicant.getByLabel(en['studio.intro']).fill('I hold weekly live talks about changing careers.');
    await applicant.getByRole('button', { name: en['studio.apply'] }).click();
    await applicant.getByRole('status').filter({ hasText: en['studio.sent'] }).waitFor();
    await applicant
      .getByTestId('application-status')
      .filter({ hasText: en['studio.status.pending'] })
      .waitFor();
    assert.equal(await applicant.getByTestId('apply-form').count(), 0, 'one pending application at a time');

    // ------------------------------------------------------------ B, staff, rejects
    const b = await open();
    const staff = b.page;
    await acceptPolicy(staff, needed);
    await logInWithCode(staff, '13200132000');
    assert.equal(await mainNav(staff).getByRole('link', { name: en['nav.staff'] }).count(), 0);
    // Not staff yet: the page shows the server's refusal.
    answer = nextAnswer(staff, 'GET', '/staff/streamer-applications');
    await staff.goto(`${server.url}/#/staff`);
    body = await answer;
    assert.equal(body.error.code, 'staff_only');
    await staff.getByRole('alert').filter({ hasText: body.error.message.en }).waitFor();

    await server.makeStaff((await signedInAccount(staff)).id);
    // The app learns the new role when it next reads the account (here: a reload).
    await staff.reload();
    await mainNav(staff).getByRole('link', { name: en['nav.staff'] }).click();
    const queued = staff.getByTestId('application').filter({ hasText: '张三' });
    await queued.waitFor();
    await queued.getByText(en['scope.career'], { exact: true }).waitFor();
    await queued.getByText('I hold weekly live talks about changing careers.').waitFor();

    // A rejection needs a reason: without one, the server's message.
    answer = nextAnswer(staff, 'POST', '/decision');
    const reject = fill(en['staff.rejectLabel'], { name: '张三' });
    await queued.getByRole('button', { name: reject }).click();
    body = await answer;
    assert.equal(body.error.code, 'decision_reason_required');
    await queued.getByRole('alert').filter({ hasText: body.error.message.en }).waitFor();
    const reason = 'Please say which careers you will talk about.';
    await queued.getByLabel(en['staff.reason']).fill(reason);
    await queued.getByRole('button', { name: reject }).click();
    await staff.getByRole('status').filter({ hasText: fill(en['staff.rejectedNotice'], { name: '张三' }) }).waitFor();
    await staff.getByTestId('staff-empty').filter({ hasText: en['staff.empty.pending'] }).waitFor();
    await staff.getByRole('button', { name: en['staff.filter.rejected'] }).click();
    await staff.getByTestId('application').filter({ hasText: reason }).waitFor();

    // ------------------------------------------------------------ A reads the rejection
    await mainNav(applicant).getByRole('link', { name: en['nav.home'] }).click();
    const badge = mainNav(applicant).getByTestId('unread-count');
    await badge.filter({ hasText: '1' }).waitFor();
    await mainNav(applicant).getByRole('link', { name: en['nav.notices'] }).click();
    const notices = applicant.getByTestId('notice');
    await notices.first().waitFor();
    assert.equal(await notices.count(), 1);
    assert.equal(await notices.first().getAttribute('data-read'), 'false');
    await notices.first().getByText(fill(en['notices.streamer_rejected'], { reason })).waitFor();
    await notices.first().getByRole('button', { name: en['notices.markRead'] }).click();
    await notices.first().and(applicant.locator('[data-read="true"]')).waitFor();
    await badge.waitFor({ state: 'detached' });
    await applicant.getByText(en['notices.allRead']).waitFor();

    // The studio shows the reason, and the form to apply again.
    await notices.first().getByRole('link', { name: en['notices.applyAgain'] }).click();
    await applicant.getByTestId('application-reason').filter({ hasText: reason }).waitFor();
    await applicant.getByRole('heading', { name: en['studio.applyAgainHeading'] }).waitFor();
    await applicant.getByLabel(en['studio.name']).fill('张三');
    await applicant.getByLabel(en['studio.scope']).selectOption('career');
    await applicant
      .getByLabel(en['studio.intro'])
      .fill('I hold weekly live talks about moving from engineering into teaching.');
    await applicant.getByRole('button', { name: en['studio.apply'] }).click();
    await applicant
      .getByTestId('application-status')
      .filter({ hasText: en['studio.status.pending'] })
      .waitFor();

    // ------------------------------------------------------------ B approves
    await staff.getByRole('button', { name: en['staff.filter.pending'] }).click();
    const again = staff.getByTestId('application').filter({ hasText: 'engineering into teaching' });
    await again.getByRole('button', { name: fill(en['staff.approveLabel'], { name: '张三' }) }).click();
    await staff.getByRole('status').filter({ hasText: fill(en['staff.approvedNotice'], { name: '张三' }) }).waitFor();
    await staff.getByTestId('staff-empty').waitFor();

    // ------------------------------------------------------------ A reads the approval
    await mainNav(applicant).getByRole('link', { name: en['nav.notices'] }).click();
    await badge.filter({ hasText: '1' }).waitFor();
    await applicant.getByTestId('notice').nth(1).waitFor();
    // Newest first.
    await notices.first().getByText(en['notices.streamer_approved']).waitFor();
    assert.equal(await notices.first().getAttribute('data-read'), 'false');
    assert.equal(await notices.nth(1).getAttribute('data-read'), 'true');
    await notices.first().getByRole('button', { name: en['notices.markRead'] }).click();
    await badge.waitFor({ state: 'detached' });

    // Approved: going live will need real-name verification, and the studio leads there.
    await notices.first().getByRole('link', { name: en['notices.toStudio'] }).click();
    await applicant
      .getByTestId('application-status')
      .filter({ hasText: en['studio.status.approved'] })
      .waitFor();
    const goingLive = applicant.getByTestId('going-live');
    await goingLive.getByText(en['studio.liveNeedsRealName']).waitFor();
    await goingLive.getByText(en['studio.roomsLater']).waitFor();
    assert.equal(await goingLive.getByRole('button').count(), 0, 'no button for rooms that do not exist yet');
    await goingLive.getByRole('link', { name: en['studio.toRealName'] }).click();
    await applicant.waitForURL((url) => url.hash === '#/real-name');

    // ------------------------------------------------------------ A verifies their real name
    const submit = applicant.getByRole('button', { name: en['realName.submit'] });
    await submit.waitFor();
    assert.ok(await submit.isDisabled(), 'nothing is sent without the consent and a photo');
    await applicant.getByLabel(en['realName.name']).fill('张三');
    const idNumber = residentId({ birth: '19900307', sequence: '123' });
    await applicant.getByLabel(en['realName.idNumber']).fill(idNumber);
    await applicant.getByRole('button', { name: en['camera.on'] }).click();
    await applicant.getByRole('button', { name: en['camera.take'] }).click();
    await applicant.getByRole('img', { name: en['camera.photoAlt'] }).waitFor();
    assert.deepEqual(await cameraUse(applicant), { opened: 1, live: 0 }, 'the camera is off once the photo is taken');
    assert.ok(await submit.isDisabled(), 'still no consent');
    const realName = (await consentPurposes(server)).find((p) => p.id === 'real_name');
    await applicant.getByText(realName.description.en).waitFor();
    await applicant.getByLabel(en['realName.consentLabel'].replace('{purpose}', realName.name.en)).check();
    const verified = nextAnswer(applicant, 'POST', '/me/real-name');
    await submit.click();
    const status = await verified;
    assert.equal(status.verified, true);
    await applicant.getByRole('status').filter({ hasText: en['realName.verifiedNow'] }).waitFor();
    assert.equal(await applicant.getByTestId('real-name-name').innerText(), '张*');
    assert.equal(
      await applicant.getByTestId('real-name-id').innerText(),
      `${idNumber.slice(0, 6)}${'*'.repeat(11)}${idNumber.slice(17)}`,
    );
    assert.equal((await applicant.content()).includes(idNumber), false, 'the full number is nowhere on the page');

    // The studio now says the verification is done.
    await mainNav(applicant).getByRole('link', { name: en['nav.studio'] }).click();
    await applicant.getByTestId('going-live').getByText(en['studio.liveVerified']).waitFor();
    assert.equal(await applicant.getByRole('link', { name: en['studio.toRealName'] }).count(), 0);

    // Staff's own profile shows the role, which cannot be removed there.
    await mainNav(staff).getByRole('link', { name: en['nav.profile'] }).click();
    await staff.getByTestId('roles').getByText(en['role.staff']).waitFor();
    assert.equal(
      await staff.getByRole('button', { name: en['profile.removeRoleLabel'].replace('{role}', en['role.staff']) }).count(),
      0,
    );
  }),
);
