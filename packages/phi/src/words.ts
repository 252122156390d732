/** Hand-kept word lists: context cues and the clinical shorthand that must never be read as a name or place. */

function set(words: string): Set<string> {
  return new Set(words.split(/\s+/).filter((w) => w.length > 0));
}

/** Titles before a person's name. */
export const TITLE_CUES = set('dr drs doctor mr mrs ms miss mister madam mx prof professor rev dra');

/** Credentials after a name ("Maria Silva, RN"). */
export const CREDENTIAL_CUES = set(
  'md m.d. rn r.n. np n.p. pa pa-c rrt crt lpn lcsw licsw msw phd pharmd dds dmd dpt pt ot slp cnm crna aprn fnp acnp do d.o. mph facc facp facs cna rd ccrn bsn msn dnp lmt ma scribe resident intern fellow attending',
);

/** Relations before a relative's or friend's name ("son bill", "daughter, Emily"). */
export const RELATION_CUES = set(
  'son sons daughter daughters dtr dau wife husband hus spouse sister sis brother bro mother mom father dad niece nephew grandson granddaughter grandaughter grandchild grandmother grandfather grandma grandpa aunt uncle cousin friend fiance fiancee girlfriend boyfriend partner proxy hcp guardian neighbor neighbour caregiver sibling stepson stepdaughter stepmother stepfather in-law inlaw law dil sil companion roommate landlord employer boss pastor priest rabbi',
);

/** Words that may introduce a clinician by name without a title ("per healey", "paged kenney"). */
export const CLINICIAN_VERB_CUES = set(
  'per paged page called notified informed updated told consulted with by to from and seen examined ordered spoke discussed aware',
);

/** Words that follow a clinician's name ("Kargas aware", "Walker notified"). */
export const AFTER_NAME_CUES = set(
  'aware notified paged called informed updated consulted ordered wrote says said states stated saw examined',
);

/** Cues before a place ("lives in Rockville", "transferred from Calvert"). */
export const PLACE_CUES = set('in from at to near into outside toward towards of on per transfer');
export const PLACE_VERB_CUES = set(
  'lives live living lived resides reside residing moved born grew raised up flew fly flying city town based located headquartered transferred transfer transfered tranfered trans tx xfer xfered admitted readmitted flighted medflighted flown visiting vacation trip',
);

/** Words that name a facility after its proper name ("Calvert Hospital", "Holy Cross Hosp"). */
export const FACILITY_WORDS = set(
  'hospital hospitals hosp center ctr centre clinic rehab infirmary memorial vamc vahcs sanitarium sanatorium manor medical regional general campus',
);
/** Facility words that are also everyday words ("cardiac rehab", "current medical regimen"). */
export const WEAK_FACILITY_WORDS = set('center ctr centre rehab medical regional general campus');
/** Facility words that are themselves part of the proper name and reported. */
export const FACILITY_NAME_WORDS = set('memorial general regional community university');

/** Generic words before a facility word that are not its name ("outside hospital"). */
export const GENERIC_FACILITY_ADJ = set(
  'outside other another local area nearby private state teaching psychiatric psych this that same the a an his her their our your my its previous prior referring accepting receiving rehab nursing osh home any which each every acute chronic long term care',
);

/**
 * Clinical abbreviations, hospital units and shorthand that collide with names, places or unknown words.
 * Lower case.
 */
export const CLINICAL_SHORTHAND = set(`
icu micu sicu ccu csru cvicu nicu picu pacu tsicu msicu nsicu cvu ctic cticu ed er ew or ir ct cta mri mra ep gi gu id ent pt ot
rt rn md np pa ho hx dx tx rx sx fx nsg pmh hpi ros cv resp neuro abd ext skin social dispo plan cath lab floor tele telemetry
rehab snf ltac ltc nh ecu cmu pcu sdu ob gyn onc heme renal cards pulm ortho psych eeg ekg ecg echo tee tte cxr kub us abg vbg
cbc bmp cmp lfts lft inr ptt pt/inr hct hgb wbc plt bun cr creat na k cl co2 mg ca phos glu bs fs fsbs bg tsh ast alt alk bili
ldh ck ckmb trop bnp esr crp ua ucx bcx sputum ngt ogt peg picc cvl tlc aline a-line swan iabp cabg ptca pci stent lad lcx rca
om pda svg lima mvr avr tvr chf cad htn dm iddm niddm copd cri crf arf esrd ckd afib aflutter svt vt vf nsr sr st sb pvc pac
mi nstemi stemi cva tia dvt pe uti pna sob doe cp ssep loc aox aaox mae perrl perla nad wnl nkda nka dnr dni cmo ffp prbc plts
cryo ns lr d5w d5 kcl kphos ivf iv po pr sl sq sc im prn bid tid qid qd qod qhs qam qpm hs ac pc npo ad lib oob bsc bsa bmi
vs bp hr rr sat sats spo2 o2 nc nrb fio2 peep psv cpap bipap ac simv imv tv vt rsbi etco2 pap cvp map svr svo2 co ci lvef ef
ett trach vent mv tf tpn ppn npo ivp ivpb gtt gtts mcg mg ml cc meq units prn tylenol motrin ativan haldol lasix
am pm hs noc eve nocte ampm q1 q2 q4 q6 q8 q12 q24 hrs hr min mins sec secs wk wks mo mos yr yrs yo y/o
ls bs bss cta ctab rales rhonchi wheeze wheezes crackles diminished coarse clear dim
oriented alert lethargic sedated intubated extubated weaned vented paced
cont cont'd d/c dc'd d/c'd f/u w/u r/o s/p c/o h/o w/ w/o b/l bilat lle rle lue rue lll rll rul lul rml
pupils mae follows commands pmd pcp attending resident intern fellow team service covering
ho hosp outpt inpt pts pt's pts' nurse nursing rn's md's np's pa's
ccu's micu's sicu's er's ed's
osh tol pacer fick wean cath ekg lido neo levo dopa dobutamine vanco zosyn flagyl heparin coumadin
chol vea riss fent ganz kling bair hugger perl neice niece vue carevue careview foley brady tachy quinton hickman
groshong floro fluoro yankauer yankaur ambu penrose swan kerlix duoderm tegaderm ted scd passey muir guaiac
guiac heme ami bb ra vicu va nesh sao pao pco etc lis los asa usoh ph hoyer swann quinton peri midlevels
`);

/** Function words and frequent note words that are also in the name lists (Will, May, Hope, Bill, Pat, ...). */
export const STOP_WORDS = set(`
a an the and or but nor so yet i i'm i'd i've i'll
monday tuesday wednesday thursday friday saturday sunday january february march april july august september october
november december english spanish french italian russian chinese jesus god christ lord for of in on at to from by with without within into onto upon over under above below
about after before during until since than then there here where when while who whom whose which what that this these those
is are was were be been being am do does did done doing have has had having will would shall should may might must can could
not no yes ok okay also just only still even very more most less least much many few some any all each every both either
neither other another such own same i me my mine we us our ours you your yours he him his she her hers it its they them their
theirs one two three four five six seven eight nine ten first second third last next new old good well better best bad
as if because though although unless whether how why up down out off again further once per via vs versus
pt pts patient patients family visit visitor visitors care call called calls calling update updated aware note notes
seen see saw said says say told tell ask asked came come comes went go goes going gone got get gets left right
home stable plan day night evening morning noon today tonight tomorrow yesterday week month year time times
mom dad son daughter wife husband sister brother mother father
`);

/** Country names (lower case) for place detection outside the US. */
export const COUNTRIES = set(`
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia
cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador
egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece greenland grenada guatemala
guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan
kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg
madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro
morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine
panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore
slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga
trinidad tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia
zimbabwe england scotland wales britain holland
`);

/** Multi-word countries, matched as phrases. */
export const COUNTRY_PHRASES = [
  'united states',
  'united kingdom',
  'new zealand',
  'south africa',
  'south korea',
  'north korea',
  'czech republic',
  'costa rica',
  'el salvador',
  'puerto rico',
  'saudi arabia',
  'sri lanka',
  'ivory coast',
  'dominican republic',
  'united arab emirates',
  'hong kong',
  'san marino',
  'sierra leone',
  'great britain',
];
