import { strict as assert } from 'node:assert';
import { fitLogistic, sigmoid } from '../../../../daemon/judge/calibration/logistic';

describe('calibration/logistic', () => {
  it('recovers the direction and rough size of a known relation', () => {
    // P(y=1) = sigmoid(3x - 1.5), sampled deterministically on a grid.
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = i / 400;
      const p = sigmoid(3 * x - 1.5);
      for (let k = 0; k < 10; k++) {
        xs.push([x]);
        ys.push(k < Math.round(p * 10) ? 1 : 0);
      }
    }
    const fit = fitLogistic(xs, ys, 0.01);
    assert.ok(Math.abs(fit.weights[0] - 3) < 0.3, `weight ${fit.weights[0]}`);
    assert.ok(Math.abs(fit.bias + 1.5) < 0.2, `bias ${fit.bias}`);
  });

  it('shrinks weights as the penalty grows, and ignores a constant feature', () => {
    const xs = Array.from({ length: 100 }, (_, i) => [i % 2, 5]);
    const ys = xs.map(([a]) => a);
    const loose = fitLogistic(xs, ys, 0.1);
    const tight = fitLogistic(xs, ys, 100);
    assert.ok(loose.weights[0] > tight.weights[0] && tight.weights[0] > 0);
    assert.equal(tight.weights[1], 0);
  });

  it('refuses to fit on no data', () => {
    assert.throws(() => fitLogistic([], []), /no data/);
  });
});
