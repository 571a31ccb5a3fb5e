// Education: exam results or a school budget decision.
import { article, type Ctx, type Draft, type Line, line, type TopicDef } from '../context';

const PROGRAMMES = [
  'extra reading lessons for younger pupils',
  'smaller class sizes in the first two years',
  'a new tutoring programme after school',
  'free breakfasts for every pupil',
  'more teaching assistants in maths classes',
];
const CUTS = ['music lessons', 'school bus routes', 'after-school clubs', 'library hours', 'sports teams'];

function build(c: Ctx): Draft {
  const town = c.town();
  const district = `${town} School District`;
  const school = `${c.surname()} ${c.one('High School', 'Academy', 'Secondary School')}`;
  const head = c.person();
  const teacher = c.person();
  const parent = c.person();
  const board = c.person();
  const student = c.person();
  const day = c.weekday();
  const pupils = c.count(2_000, 60_000);
  const schools = c.r.int(8, 70);

  let lead: Line;
  let keys: Line[];
  const extra: Line[] = [];
  if (c.r.chance(0.5)) {
    const rate = c.r.int(62, 95);
    const gain = c.r.int(2, 11);
    const prev = c.year(2014, 2020);
    const programme = c.one(...PROGRAMMES);
    lead = line(
      `The share of pupils in the ${district} who passed the state reading test rose to ${rate} percent this year, up ${gain} points, according to results released on ${day}.`,
      `Results released on ${day} show ${rate} percent of pupils in the ${district} passed the state reading test, up ${gain} points.`,
    );
    keys = [
      line(
        `Superintendent ${head.full} credited ${programme}, which the district introduced in ${prev}.`,
        `Superintendent ${head.full} credited ${programme}, introduced in ${prev}.`,
      ),
      line(
        `The district, which serves ${pupils} pupils in ${schools} schools, still trails the state average in maths.`,
        `The district serves ${pupils} pupils in ${schools} schools and still trails the state average in maths.`,
      ),
    ];
  } else {
    const gap = c.money(1_500_000, 60_000_000);
    const cut = c.one(...CUTS);
    const votes = c.r.int(4, 6);
    const against = c.r.int(1, 3);
    lead = line(
      `The ${district} board voted ${votes}-${against} on ${day} to close ${article(gap)} ${gap} budget gap by cutting ${cut} and leaving vacant posts unfilled.`,
      `On ${day}, the ${district} board voted ${votes}-${against} to cut ${cut} to close ${article(gap)} ${gap} budget gap.`,
    );
    keys = [
      line(
        `Superintendent ${head.full} said the district had lost funding as the number of pupils fell.`,
        `Superintendent ${head.full} blamed lost funding caused by falling pupil numbers.`,
      ),
      line(
        `Board member ${board.full}, who voted against the plan, said the cuts would hurt the pupils who need the most support.`,
        `Board member ${board.full} voted against the plan, saying it would hurt the pupils who need the most support.`,
      ),
    ];
    extra.push(line(`The district serves ${pupils} pupils in ${schools} schools across ${town} and nearby villages.`));
  }

  const fillers = [
    ...extra,
    line(`${teacher.full}, who teaches at ${school}, said staff had worked hard to keep pupils engaged.`),
    line(`${parent.full}, whose two children attend ${school}, said families wanted clearer information from the district.`),
    line(`${student.full}, a pupil at ${school}, said pupils had noticed the changes straight away.`),
    line(`"Every decision we make starts with what is best for the children," ${head.last} said.`),
    line(`The announcement was discussed by dozens of parents and teachers at a meeting on ${c.weekday()} evening.`),
    line(`${town} has ${c.r.int(2, 6)} secondary schools and a growing number of young families.`),
    line(`The teachers' union said it would study the details before commenting.`),
    line(`Schools in neighbouring districts have faced similar pressures this year.`),
    line(`The state education department is expected to publish its own figures in ${c.month()}.`),
    line(`Some parents said they would rather see higher local taxes than fewer services.`),
    line(`The district has also struggled to recruit teachers in science and maths.`),
    line(`${head.last} has led the district since ${c.year(2012, 2021)}.`),
  ];

  const closers = [
    line(`The board will meet again on ${c.date()} to discuss next year's budget.`),
    line(`Parents can submit questions to the district before the next board meeting on ${c.date()}.`),
  ];
  return { lead, keys, fillers, closers };
}

export const education: TopicDef = { name: 'education', build };
