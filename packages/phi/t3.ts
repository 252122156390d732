import { scan } from '@intelluxe/phi';

for (const t of ['Percocet 5/325 1 tab q6h'])
  console.log(
    JSON.stringify(t),
    scan(t)
      .map((s) => `${s.type}:${t.slice(s.start, s.end)}(${s.detector})`)
      .join(' | '),
  );
