/**
 * The denial-risk model: L2-regularized logistic regression over claim features (payer, codes, modifiers, place
 * of service, charge, authorization, days from service to submission, provider), trained on the practice's own
 * claims and their 835 outcomes. Probabilities are calibrated with Platt scaling on a held-out split, which also
 * gives the AUC reported with each version. Pure and deterministic for a seed.
 */

export interface RiskClaim {
  payerId: string;
  procedureCodes: string[];
  modifiers: string[];
  placeOfService: string;
  totalChargeCents: number;
  hasPriorAuth: boolean;
  daysToSubmit: number;
  renderingProviderId: string | null;
  diagnosisCount: number;
}

export interface RiskModel {
  features: string[];
  weights: number[];
  bias: number;
  /** Platt scaling of the raw score: p = 1 / (1 + exp(-(a * score + b))). */
  calibration: { a: number; b: number };
  metrics: { auc: number; trainSize: number; holdoutSize: number; denialRate: number; logLoss: number };
}

export interface RiskFactor {
  feature: string;
  label: string;
  contribution: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, z))));

/** Sparse features of a claim: name → value. */
export function claimFeatures(c: RiskClaim): Map<string, number> {
  const f = new Map<string, number>();
  f.set(`payer=${c.payerId}`, 1);
  for (const code of new Set(c.procedureCodes)) f.set(`code=${code}`, 1);
  for (const m of new Set(c.modifiers)) f.set(`modifier=${m}`, 1);
  f.set(`pos=${c.placeOfService}`, 1);
  if (c.renderingProviderId) f.set(`provider=${c.renderingProviderId}`, 1);
  f.set('charge_log', Math.log10(1 + c.totalChargeCents / 100) / 4);
  f.set('no_prior_auth', c.hasPriorAuth ? 0 : 1);
  f.set('days_to_submit', Math.min(c.daysToSubmit, 730) / 365);
  f.set('late_90', c.daysToSubmit > 90 ? 1 : 0);
  f.set('late_180', c.daysToSubmit > 180 ? 1 : 0);
  f.set('lines', Math.min(c.procedureCodes.length, 10) / 10);
  f.set('diagnoses', Math.min(c.diagnosisCount, 12) / 12);
  return f;
}

const LABELS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^payer=(.+)$/, (m) => `payer ${m[1]}`],
  [/^code=(.+)$/, (m) => `procedure ${m[1]}`],
  [/^modifier=(.+)$/, (m) => `modifier ${m[1]}`],
  [/^pos=(.+)$/, (m) => `place of service ${m[1]}`],
  [/^provider=(.+)$/, () => 'rendering provider'],
  [/^no_prior_auth$/, () => 'no prior authorization on the claim'],
  [/^days_to_submit$/, () => 'days from service to submission'],
  [/^late_90$/, () => 'submitted more than 90 days after service'],
  [/^late_180$/, () => 'submitted more than 180 days after service'],
  [/^charge_log$/, () => 'billed amount'],
  [/^lines$/, () => 'number of service lines'],
  [/^diagnoses$/, () => 'number of diagnoses'],
];

function label(feature: string): string {
  for (const [re, fn] of LABELS) {
    const m = feature.match(re);
    if (m) return fn(m);
  }
  return feature;
}

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Area under the ROC curve (rank statistic; ties count half). */
export function auc(scores: number[], labels: number[]): number {
  const pairs = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  let i = 0;
  while (i < pairs.length) {
    let j = i;
    while (j + 1 < pairs.length && pairs[j + 1]![0] === pairs[i]![0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (pairs[k]![1] === 1) {
        rankSum += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export class InsufficientHistoryError extends Error {}

/** Trains on claims with known outcomes (1 = denied in whole or part). */
export function trainRiskModel(
  examples: Array<{ claim: RiskClaim; denied: boolean }>,
  options: { seed?: number; epochs?: number; learningRate?: number; l2?: number; holdout?: number } = {},
): RiskModel {
  const denied = examples.filter((e) => e.denied).length;
  if (examples.length < 40 || denied < 5 || examples.length - denied < 5) {
    throw new InsufficientHistoryError(
      `need at least 40 adjudicated claims with 5 denials and 5 payments; have ${examples.length} with ${denied} denials`,
    );
  }
  const rand = mulberry(options.seed ?? 7);
  const shuffled = examples
    .map((e) => ({ e, r: rand() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.e);
  const holdoutSize = Math.max(10, Math.round(shuffled.length * (options.holdout ?? 0.25)));
  const holdout = shuffled.slice(0, holdoutSize);
  const train = shuffled.slice(holdoutSize);
  const vectors = (set: typeof examples) =>
    set.map((e) => ({ x: claimFeatures(e.claim), y: e.denied ? 1 : 0 }));
  const trainVectors = vectors(train);
  const names = [...new Set(trainVectors.flatMap((v) => [...v.x.keys()]))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const w = new Float64Array(names.length);
  let bias = Math.log((denied + 1) / (examples.length - denied + 1));
  const epochs = options.epochs ?? 300;
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Float64Array(names.length);
    let gradBias = 0;
    for (const { x, y } of trainVectors) {
      let z = bias;
      for (const [k, v] of x) z += w[index.get(k)!]! * v;
      const err = sigmoid(z) - y;
      gradBias += err;
      for (const [k, v] of x) grad[index.get(k)!]! += err * v;
    }
    const n = trainVectors.length;
    for (let j = 0; j < w.length; j++) w[j]! -= lr * (grad[j]! / n + l2 * w[j]!);
    bias -= lr * (gradBias / n);
  }
  const score = (x: Map<string, number>) => {
    let z = bias;
    for (const [k, v] of x) {
      const j = index.get(k);
      if (j !== undefined) z += w[j]! * v;
    }
    return z;
  };
  const held = vectors(holdout);
  const heldScores = held.map((v) => score(v.x));
  const heldLabels = held.map((v) => v.y);
  // Platt scaling on the holdout: fit a and b by gradient descent on log loss.
  let a = 1;
  let b = 0;
  for (let it = 0; it < 500; it++) {
    let ga = 0;
    let gb = 0;
    heldScores.forEach((s, i) => {
      const err = sigmoid(a * s + b) - heldLabels[i]!;
      ga += err * s;
      gb += err;
    });
    a -= (0.1 * ga) / held.length;
    b -= (0.1 * gb) / held.length;
  }
  const logLoss =
    -heldScores.reduce((sum, s, i) => {
      const p = Math.min(1 - 1e-9, Math.max(1e-9, sigmoid(a * s + b)));
      return sum + (heldLabels[i] ? Math.log(p) : Math.log(1 - p));
    }, 0) / held.length;
  return {
    features: names,
    weights: [...w],
    bias,
    calibration: { a, b },
    metrics: {
      auc: auc(heldScores, heldLabels),
      trainSize: train.length,
      holdoutSize: held.length,
      denialRate: denied / examples.length,
      logLoss,
    },
  };
}

/** Calibrated probability of a denial and the features that push it up most. */
export function scoreClaim(
  model: RiskModel,
  claim: RiskClaim,
  top = 3,
): { probability: number; factors: RiskFactor[] } {
  const index = new Map(model.features.map((n, i) => [n, i]));
  let z = model.bias;
  const contributions: RiskFactor[] = [];
  for (const [k, v] of claimFeatures(claim)) {
    const j = index.get(k);
    if (j === undefined) continue;
    const c = model.weights[j]! * v;
    z += c;
    contributions.push({ feature: k, label: label(k), contribution: Math.round(c * 1000) / 1000 });
  }
  const probability = sigmoid(model.calibration.a * z + model.calibration.b);
  return {
    probability: Math.round(probability * 1000) / 1000,
    factors: contributions
      .filter((c) => c.contribution > 0)
      .sort((x, y) => y.contribution - x.contribution)
      .slice(0, top),
  };
}
