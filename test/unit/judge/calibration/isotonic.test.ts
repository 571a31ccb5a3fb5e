import { strict as assert } from 'node:assert';
import { applyCurve, fitIsotonic } from '../../../../daemon/judge/calibration/isotonic';

describe('calibration/isotonic', () => {
  it('turns raw scores into the share of accepted samples at that score', () => {
    // 40 samples at raw 0.2 (10% accepted) and 40 at raw 0.8 (90% accepted).
    const points = [
      ...Array.from({ length: 40 }, (_, i) => ({ score: 0.2, label: i < 4 ? 1 : 0 })),
      ...Array.from({ length: 40 }, (_, i) => ({ score: 0.8, label: i < 36 ? 1 : 0 })),
    ];
    const c = fitIsotonic(points, { minBlock: 10, prior: 0 });
    assert.deepEqual(c, { x: [0.2, 0.8], y: [0.1, 0.9] });
    assert.ok(Math.abs(applyCurve(c, 0.5) - 0.5) < 1e-12, 'linear between knots');
    assert.equal(applyCurve(c, 0), 0.1, 'flat below the first knot');
    assert.equal(applyCurve(c, 1), 0.9, 'flat above the last knot');
  });

  it('is non-decreasing even when the labels are not, pooling the violators', () => {
    const points = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].flatMap((score, i) => Array.from({ length: 10 }, (_, k) => ({ score, label: k < [2, 6, 3, 7, 5, 9][i] ? 1 : 0 })));
    const c = fitIsotonic(points, { minBlock: 10, prior: 0 });
    for (let i = 1; i < c.y.length; i++) assert.ok(c.y[i] >= c.y[i - 1], JSON.stringify(c));
    for (let i = 1; i < c.x.length; i++) assert.ok(c.x[i] > c.x[i - 1], JSON.stringify(c));
    assert.ok(c.y.length < 6, 'violating neighbours were pooled');
  });

  it('never lets a block smaller than minBlock claim its own knot, the last one included', () => {
    const points = [...Array.from({ length: 50 }, (_, i) => ({ score: i / 100, label: i % 2 })), { score: 0.99, label: 1 }];
    const c = fitIsotonic(points, { minBlock: 20, prior: 0 });
    assert.ok(c.x[c.x.length - 1] < 0.99, `a single sample at 0.99 must not stand alone: ${JSON.stringify(c)}`);
  });

  it('pulls small blocks towards the base rate with the prior', () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ score: i < 10 ? 0.1 : 0.9, label: i < 10 ? 0 : 1 }));
    const raw = fitIsotonic(points, { minBlock: 5, prior: 0 });
    const smoothed = fitIsotonic(points, { minBlock: 5, prior: 2 });
    assert.deepEqual(raw.y, [0, 1]);
    assert.ok(smoothed.y[0] > 0 && smoothed.y[1] < 1);
  });

  it('refuses to fit on nothing', () => {
    assert.throws(() => fitIsotonic([]), /no labelled samples/);
  });
});
