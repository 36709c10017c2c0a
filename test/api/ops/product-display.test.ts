/**
 * The home page's products over real HTTP: XJP's home-page set from the simulator, merged with the
 * display settings operators set under /ops (hidden left out, hot first), each change in the trail.
 */
import request from 'supertest';
import { homeProductsSchema } from '../../../src/api/investor/schemas';
import { TEST_API_KEY, TEST_OPERATOR, TEST_VIEWER, useTestEngine } from '../../../tools/testing/engine';

const running = useTestEngine();

const asOperator = { 'x-operator-key': TEST_OPERATOR.key };
const asViewer = { 'x-operator-key': TEST_VIEWER.key };
const ops = () => request(running.engine.apiUrl);

async function homeIds(): Promise<Array<[string, boolean]>> {
  const answer = await request(running.engine.apiUrl)
    .get('/v1/products/home')
    .set('x-api-key', TEST_API_KEY)
    .expect(200);
  return homeProductsSchema.parse(answer.body).items.map((p) => [p.productId, p.hot]);
}

function setDisplay(productId: string, body: unknown, as: Record<string, string> = asOperator) {
  return ops()
    .put(`/ops/products/${productId}/display`)
    .set(as)
    .send(body as object);
}

test('the home page is XJP’s home-page set as XJP lists it while no setting exists', async () => {
  expect(await homeIds()).toEqual([
    ['XJP-P-0001', false],
    ['XJP-P-0002', false],
    ['XJP-P-0003', false],
  ]);
});

test('an operator hides one product and marks another hot: the home page leaves the first out and lists the hot one first', async () => {
  const hidden = await setDisplay('XJP-P-0001', { hot: false, hidden: true }).expect(200);
  expect(hidden.body).toMatchObject({
    productId: 'XJP-P-0001',
    hidden: true,
    hot: false,
    updatedBy: TEST_OPERATOR.name,
    changed: true,
  });
  await setDisplay('XJP-P-0003', { hot: true, hidden: false }).expect(200);

  expect(await homeIds()).toEqual([
    ['XJP-P-0003', true],
    ['XJP-P-0002', false],
  ]);

  await setDisplay('XJP-P-0001', { hot: false, hidden: false }).expect(200);
  expect(await homeIds()).toEqual([
    ['XJP-P-0003', true],
    ['XJP-P-0001', false],
    ['XJP-P-0002', false],
  ]);
});

test('every change is in the trail with the settings it replaced; setting what is set writes none', async () => {
  const again = await setDisplay('XJP-P-0003', { hot: true, hidden: false }).expect(200);
  expect(again.body.changed).toBe(false);

  const listed = await ops().get('/ops/products/display').set(asViewer).expect(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({ productId: 'XJP-P-0001', hot: false, hidden: false, updatedBy: TEST_OPERATOR.name }),
    expect.objectContaining({ productId: 'XJP-P-0003', hot: true, hidden: false }),
  ]);
  const trail = (listed.body.changes as Array<Record<string, unknown>>).map((c) => [
    c.productId,
    c.previousHidden,
    c.hidden,
    c.operator,
  ]);
  // Three changes (changes a millisecond apart may list in either order).
  expect(trail).toHaveLength(3);
  expect(trail).toEqual(
    expect.arrayContaining([
      ['XJP-P-0001', null, true, TEST_OPERATOR.name],
      ['XJP-P-0003', null, false, TEST_OPERATOR.name],
      ['XJP-P-0001', true, false, TEST_OPERATOR.name],
    ]),
  );
});

test('only the operator role sets them; a product XJP does not list is 404; a bad body is 400 on its field', async () => {
  const forbidden = await setDisplay('XJP-P-0002', { hot: true, hidden: false }, asViewer);
  expect(forbidden.status).toBe(403);
  expect(forbidden.body.error.code).toBe('FORBIDDEN_ROLE');

  const unknown = await setDisplay('XJP-P-9999', { hot: true, hidden: false });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('PRODUCT_NOT_FOUND');

  const bad = await setDisplay('XJP-P-0002', { hot: 'yes' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.hot', 'body.hidden']);

  await ops().put('/ops/products/XJP-P-0002/display').send({ hot: true, hidden: false }).expect(401);
});
