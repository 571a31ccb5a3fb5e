// Health: a hospital expansion or a rise in cases of an illness.
import { article, type Ctx, type Draft, type Line, line, type TopicDef } from '../context';

const UNITS = [
  'emergency department', 'maternity ward', 'cancer treatment centre', 'children\'s wing', 'mental health unit',
  'stroke unit', 'rehabilitation centre',
];
const ILLNESSES = ['measles', 'whooping cough', 'influenza', 'norovirus', 'chickenpox', 'scarlet fever'];
const PLACES = ['schools', 'care homes', 'nurseries', 'a summer camp', 'a university campus'];
const ADVICE = [
  'wash their hands often and stay at home when they feel unwell',
  'check that their children\'s vaccinations are up to date',
  'keep sick children away from school until they have recovered',
  'call their doctor before visiting a clinic in person',
];

function build(c: Ctx): Draft {
  const town = c.town();
  const hospital = c.one(`${town} General Hospital`, `${c.surname()} Memorial Hospital`, `${town} Regional Medical Centre`);
  const department = `${town} Public Health Department`;
  const chief = c.person();
  const doctor = c.person();
  const nurse = c.person();
  const patient = c.person();
  const day = c.weekday();

  let lead: Line;
  let keys: Line[];
  if (c.r.chance(0.5)) {
    const unit = c.one(...UNITS);
    const beds = c.r.int(18, 160);
    const cost = c.money(8_000_000, 400_000_000);
    const openMonth = c.month();
    const hires = c.r.int(60, 420);
    lead = line(
      `${hospital} said on ${day} that it will open a new ${unit} with ${beds} beds in ${openMonth}, after ${article(cost)} ${cost} building project.`,
      `A new ${unit} with ${beds} beds will open at ${hospital} in ${openMonth}.`,
    );
    keys = [
      line(
        `${chief.full}, the hospital's chief executive, said the unit would cut waiting times and let patients be treated closer to home.`,
        `Chief executive ${chief.full} said the unit would cut waiting times.`,
      ),
      line(
        `The hospital plans to hire ${hires} nurses and doctors to staff the new ${unit}.`,
        `The hospital will hire ${hires} nurses and doctors for the new unit.`,
      ),
    ];
  } else {
    const illness = c.one(...ILLNESSES);
    const cases = c.r.int(40, 900);
    const before = c.r.int(5, Math.max(6, Math.floor(cases / 2)));
    const place = c.one(...PLACES);
    const advice = c.one(...ADVICE);
    const admitted = c.r.int(3, 40);
    lead = line(
      `The ${department} reported on ${day} that there were ${cases} cases of ${illness} last week, up from ${before} the week before, with most linked to ${place}.`,
      `Cases of ${illness} in ${town} rose to ${cases} last week from ${before} the week before, the ${department} reported on ${day}.`,
    );
    keys = [
      line(
        `${chief.full}, the department's medical director, urged residents to ${advice}.`,
        `Medical director ${chief.full} urged residents to ${advice}.`,
      ),
      line(
        `A total of ${admitted} patients have been admitted to ${hospital}, but none are in a serious condition.`,
        `Patients have been admitted to ${hospital}, but none are seriously ill.`,
      ),
    ];
  }

  const fillers = [
    line(`${doctor.full}, a doctor at ${hospital}, said staff had been preparing for weeks.`),
    line(`"Our staff have worked incredibly hard, and this is a moment to thank them," ${chief.last} said.`),
    line(`${nurse.full}, a senior nurse, said the team was tired but proud of its work.`),
    line(`The hospital serves about ${c.count(80_000, 900_000)} people across ${town} and the surrounding villages.`),
    line(`Visiting hours have been shortened as a precaution.`),
    line(`${patient.full}, who was treated at the hospital last year, said the care had been excellent despite the long wait.`),
    line(`Health officials said the situation was being monitored closely.`),
    line(`The number of people waiting more than ${c.r.int(4, 18)} weeks for treatment has fallen over the past year.`),
    line(`Local doctors said they had seen a rise in patients with similar symptoms.`),
    line(`The department has set up a telephone line for worried parents.`),
    line(`A review of staffing levels is due to be published in ${c.month()}.`),
    line(`${doctor.last} said most patients recover fully within ${c.r.int(5, 14)} days.`),
  ];

  const closers = [
    line(`The department will publish updated figures on ${c.weekday()}.`),
    line(`More information is available from local doctors and pharmacies.`),
  ];
  return { lead, keys, fillers, closers };
}

export const health: TopicDef = { name: 'health', build };
