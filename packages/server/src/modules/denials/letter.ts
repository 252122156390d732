/**
 * Appeal letters: a complete, specific letter built from the claim, the 835 and the practice — payer, claim
 * numbers, dates, codes, the denial reason, the argument for its category and the enclosures — rendered as a
 * structured document, then as DOCX (docx) and PDF (pdfkit).
 */
import { type AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import PDFDocument from 'pdfkit';

export interface AppealFacts {
  date: string;
  practice: { name: string; npi: string | null; taxId: string | null; address: string; phone: string | null };
  provider: { name: string; npi: string } | null;
  payer: { name: string; x12PayerId: string };
  patient: { name: string; dateOfBirth: string; memberId: string; groupNumber: string | null };
  claim: {
    patientControlNumber: string;
    payerClaimNumber: string | null;
    serviceDates: string;
    totalChargeCents: number;
    lines: Array<{ code: string; modifiers: string[]; units: number; chargeCents: number }>;
    diagnoses: string[];
    priorAuthNumber: string | null;
  };
  denial: {
    category: string;
    groupCode: string;
    reasonCode: string;
    reasonText: string;
    remarks: string[];
    amountCents: number;
    lineNumber: number | null;
  };
  remittance: { traceNumber: string; paymentDate: string | null };
  deadline: string;
}

export interface AppealLetter {
  title: string;
  recipient: string[];
  reference: Array<[string, string]>;
  body: string[];
  enclosures: string[];
  signature: string[];
}

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The argument a biller makes for each denial category. */
const ARGUMENTS: Record<string, (f: AppealFacts) => string> = {
  authorization: (f) =>
    f.claim.priorAuthNumber
      ? `Authorization ${f.claim.priorAuthNumber} was obtained before the service and covers the procedure and dates billed. A copy of the approval is enclosed; we ask that the claim be reprocessed under it.`
      : 'The service was medically necessary and could not reasonably be delayed to obtain authorization. We request retroactive authorization and reprocessing; the clinical documentation supporting urgency is enclosed.',
  eligibility: () =>
    "The patient's coverage was verified as active for the date of service through an eligibility inquiry (270/271) before the visit; the response is enclosed. We ask that the claim be reprocessed against the active coverage.",
  coding: (f) =>
    `The procedure and diagnosis codes billed (${f.claim.lines.map((l) => l.code).join(', ')}; ${f.claim.diagnoses.join(', ')}) are accurate and supported by the enclosed documentation, and each service line points to the diagnosis it treats.`,
  timely_filing: (f) =>
    `The claim was first submitted within the filing limit; the enclosed clearinghouse acceptance report (999/277CA) shows the original submission for patient control number ${f.claim.patientControlNumber}.`,
  non_covered: () =>
    'We ask for review of the coverage determination: the enclosed documentation shows the service meets the plan’s criteria for coverage, and no advance notice of non-coverage applied to this patient.',
  duplicate: (f) =>
    `This claim is not a duplicate: it reports a distinct service (see the enclosed record for ${f.claim.serviceDates}) from any claim previously processed.`,
  medical_necessity: () =>
    "The service was medically necessary for the patient's condition as documented in the enclosed records, consistent with the plan's published coverage criteria.",
  bundling: () =>
    'The services billed were distinct and separately identifiable; the enclosed documentation supports separate reporting, and the appropriate modifier identifies the distinct service.',
  missing_information: () =>
    'The information the payer reported as missing is now supplied in the enclosed corrected documentation; we ask that the claim be reprocessed.',
  other: () =>
    'We believe the claim was processed in error and ask for a full review with the enclosed documentation.',
};

export function buildAppealLetter(f: AppealFacts): AppealLetter {
  // CARC descriptions end with their own full stop; the sentence adds one.
  const reasonText = f.denial.reasonText.replace(/[.\s]+$/, '');
  const reason = `${f.denial.groupCode}-${f.denial.reasonCode}${f.denial.remarks.length ? ` (remarks ${f.denial.remarks.join(', ')})` : ''}: ${reasonText}`;
  const lines = f.claim.lines
    .map(
      (l) =>
        `${l.code}${l.modifiers.length ? `-${l.modifiers.join('-')}` : ''} × ${l.units} (${usd(l.chargeCents)})`,
    )
    .join('; ');
  return {
    title: 'Request for reconsideration of a denied claim',
    recipient: [`${f.payer.name}`, 'Appeals and Reconsiderations', `Payer ID ${f.payer.x12PayerId}`],
    reference: [
      ['Patient', f.patient.name],
      ['Date of birth', f.patient.dateOfBirth],
      ['Member ID', f.patient.memberId],
      ...(f.patient.groupNumber
        ? ([['Group number', f.patient.groupNumber]] as Array<[string, string]>)
        : []),
      ['Payer claim number', f.claim.payerClaimNumber ?? 'not assigned'],
      ['Patient account (PCN)', f.claim.patientControlNumber],
      ['Date(s) of service', f.claim.serviceDates],
      ['Services', lines],
      ['Diagnoses', f.claim.diagnoses.join(', ')],
      ['Billed', usd(f.claim.totalChargeCents)],
      ['Amount denied', usd(f.denial.amountCents)],
      [
        'Remittance',
        `${f.remittance.traceNumber}${f.remittance.paymentDate ? ` dated ${f.remittance.paymentDate}` : ''}`,
      ],
    ],
    body: [
      `To the appeals department of ${f.payer.name}:`,
      `${f.practice.name} requests reconsideration of the claim above${f.denial.lineNumber ? ` (service line ${f.denial.lineNumber})` : ''}, which was denied with adjustment ${reason}.`,
      ARGUMENTS[f.denial.category]?.(f) ?? ARGUMENTS.other!(f),
      `We ask that the denial be reversed and the claim reprocessed for payment of ${usd(f.denial.amountCents)}. This appeal is filed within the payer's appeal window (deadline ${f.deadline}). Please direct questions to our billing office${f.practice.phone ? ` at ${f.practice.phone}` : ''}, referencing patient account ${f.claim.patientControlNumber}.`,
      'Sincerely,',
    ],
    enclosures: [
      `Copy of the original claim (837, patient control number ${f.claim.patientControlNumber})`,
      `Remittance advice (835 trace ${f.remittance.traceNumber}) showing the denial`,
      'Medical records for the date(s) of service',
      ...(f.claim.priorAuthNumber ? [`Prior authorization approval ${f.claim.priorAuthNumber}`] : []),
      ...(f.denial.category === 'eligibility' ? ['Eligibility response (271) for the date of service'] : []),
      ...(f.denial.category === 'timely_filing'
        ? ['Clearinghouse acceptance reports (999, 277CA) for the original submission']
        : []),
    ],
    signature: [
      f.provider ? `${f.provider.name}, NPI ${f.provider.npi}` : f.practice.name,
      `${f.practice.name}${f.practice.npi ? ` · Group NPI ${f.practice.npi}` : ''}${f.practice.taxId ? ` · TIN ${f.practice.taxId}` : ''}`,
      f.practice.address,
    ],
  };
}

export function letterText(letter: AppealLetter, date: string, practice: string): string {
  return [
    practice,
    date,
    '',
    ...letter.recipient,
    '',
    letter.title.toUpperCase(),
    ...letter.reference.map(([k, v]) => `${k}: ${v}`),
    '',
    ...letter.body.flatMap((p) => [p, '']),
    ...letter.signature,
    '',
    'Enclosures:',
    ...letter.enclosures.map((e) => `- ${e}`),
  ].join('\n');
}

export async function letterDocx(letter: AppealLetter, date: string, practice: string): Promise<Buffer> {
  const p = (
    text: string,
    options: {
      bold?: boolean;
      after?: number;
      align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    } = {},
  ) =>
    new Paragraph({
      children: [new TextRun({ text, bold: options.bold })],
      spacing: { after: options.after ?? 120 },
      alignment: options.align,
    });
  const doc = new Document({
    creator: practice,
    title: letter.title,
    sections: [
      {
        children: [
          p(practice, { bold: true, after: 0 }),
          p(date, { after: 240 }),
          ...letter.recipient.map((r, i) => p(r, { after: i === letter.recipient.length - 1 ? 240 : 0 })),
          p(letter.title, { bold: true, after: 200 }),
          ...letter.reference.map(
            ([k, v]) =>
              new Paragraph({
                children: [new TextRun({ text: `${k}: `, bold: true }), new TextRun(v)],
                spacing: { after: 0 },
              }),
          ),
          p('', { after: 200 }),
          ...letter.body.map((b) => p(b, { after: 200 })),
          ...letter.signature.map((s) => p(s, { after: 0 })),
          p('', { after: 200 }),
          p('Enclosures', { bold: true, after: 60 }),
          ...letter.enclosures.map((e) => new Paragraph({ text: e, bullet: { level: 0 } })),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export function letterPdf(letter: AppealLetter, date: string, practice: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 64,
      info: { Title: letter.title, Author: practice },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(12).text(practice);
    doc.font('Helvetica').fontSize(10).text(date).moveDown();
    for (const r of letter.recipient) doc.text(r);
    doc.moveDown().font('Helvetica-Bold').fontSize(12).text(letter.title).moveDown(0.5);
    doc.fontSize(10);
    for (const [k, v] of letter.reference)
      doc.font('Helvetica-Bold').text(`${k}: `, { continued: true }).font('Helvetica').text(v);
    doc.moveDown();
    for (const b of letter.body) doc.text(b, { align: 'left' }).moveDown(0.6);
    for (const s of letter.signature) doc.text(s);
    doc.moveDown().font('Helvetica-Bold').text('Enclosures').font('Helvetica');
    for (const e of letter.enclosures) doc.text(`• ${e}`);
    doc.end();
  });
}
