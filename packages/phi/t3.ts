import { detectNamesAndPlaces } from './src/names.ts';
import { detectPatterns } from './src/patterns.ts';

const t = 'v qd since 8/2. last sputum from 8/11 cont to note pseudomus b';
detectPatterns(t, (s, e, ty, c, d) => console.log('P', ty, t.slice(s, e), c, d));
detectNamesAndPlaces(t, (s, e, ty, c, d) => console.log('N', ty, t.slice(s, e), c, d));
