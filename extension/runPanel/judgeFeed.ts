// The run panel's Judge card, fed from the daemon: the overrides so far and the calibration in use
// (judge/calibrations, refreshed when samples are annotated or the judge changes), the agreement
// figures (judge/eval: on request, and by itself for the built-in judge, which costs nothing to
// ask), and calibrate / revert, after which the figures are measured again.
import { errorData, JudgeCalibrate, JudgeCalibrations, JudgeEval, JudgeRevertCalibration, type CalibrateReport, type PanelJudge } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import type { PanelChannel, PanelHandlers } from './PanelChannel';

type JudgeHandlers = Pick<PanelHandlers, 'judgeEvaluate' | 'judgeCalibrate' | 'judgeRevert'>;

export class JudgeFeed implements JudgeHandlers {
  private state: PanelJudge = { overview: null, evaluation: null, problem: null, measuring: false };
  private channel: PanelChannel | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: DaemonApi,
    /** True when measuring costs nothing (the built-in judge): then figures follow every new label. */
    private readonly cheap: () => boolean,
    private readonly debug: (message: string) => void,
  ) {}

  attach(channel: PanelChannel): void {
    this.channel = channel;
    this.publish();
  }

  /** Labels or the judge changed: refresh soon, once for a burst of changes. */
  changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    this.timer = undefined;
    const before = this.state.overview?.overrides;
    try {
      this.state.overview = await this.api.request(JudgeCalibrations, {});
    } catch (err) {
      this.debug(`run panel: could not get the judge's calibrations: ${String(err)}`);
      return;
    }
    this.publish();
    const o = this.state.overview;
    if (this.cheap() && o.overrides >= o.needed && o.overrides !== before) await this.judgeEvaluate();
  }

  async judgeEvaluate(): Promise<void> {
    this.state.measuring = true;
    this.publish();
    try {
      this.state.evaluation = await this.api.request(JudgeEval, {});
      this.state.problem = null;
    } catch (err) {
      // Too few labels, an unreachable judge: the card says so, with what to do.
      const data = errorData.safeParse((err as { data?: unknown }).data);
      this.state.problem = { message: err instanceof Error ? err.message : String(err), ...(data.success ? { kind: data.data.kind, ...(data.data.hint ? { hint: data.data.hint } : {}) } : {}) };
      this.state.evaluation = null;
    } finally {
      this.state.measuring = false;
      this.publish();
    }
  }

  async judgeCalibrate(params: { apply: boolean; expect?: string }): Promise<CalibrateReport> {
    const report = await this.api.request(JudgeCalibrate, params);
    if (report.applied) await this.afterChange();
    return report;
  }

  async judgeRevert(): Promise<{ reverted: string; current: string | null }> {
    const r = await this.api.request(JudgeRevertCalibration, {});
    await this.afterChange();
    return { reverted: r.reverted, current: r.current };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private async afterChange(): Promise<void> {
    this.state.overview = await this.api.request(JudgeCalibrations, {});
    this.publish();
    await this.judgeEvaluate();
  }

  private publish(): void {
    this.channel?.setJudge({ ...this.state });
  }
}
