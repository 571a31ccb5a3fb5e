// Sports: a match report (football, basketball or ice hockey).
import { type Ctx, type Draft, line, ordinal, type TopicDef } from '../context';
import { TEAM_MASCOTS } from '../vocab';

interface Sport {
  name: string;
  venueKind: string;
  /** Winner and loser scores. */
  score(c: Ctx): [number, number];
  unit: string;
  /** A key sentence about the decisive play. */
  decisive(c: Ctx, star: string, helper: string): ReturnType<typeof line>;
  standing(c: Ctx, winner: string): ReturnType<typeof line>;
  period: string;
}

const FOOTBALL: Sport = {
  name: 'football',
  venueKind: 'Stadium',
  score: (c) => {
    const w = c.r.int(1, 5);
    return [w, c.r.int(0, w - 1)];
  },
  unit: 'goals',
  decisive: (c, star, helper) => {
    const minute = c.r.int(52, 89);
    return c.one(
      line(
        `${star} scored the winning goal in the ${ordinal(minute)} minute, heading in a cross from ${helper}.`,
        `The winner came from ${star}, who headed in a cross from ${helper} in the ${ordinal(minute)} minute.`,
      ),
      line(
        `${star} settled the game with a low shot in the ${ordinal(minute)} minute after a pass from ${helper}.`,
        `${star} scored the decisive goal in the ${ordinal(minute)} minute from a pass by ${helper}.`,
      ),
    );
  },
  standing: (c, winner) => {
    const points = c.r.int(20, 64);
    const games = c.r.int(12, 30);
    return line(
      `The result leaves the ${winner} with ${points} points from ${games} games, ${c.r.int(2, 9)} points clear at the top of the table.`,
      `The ${winner} now have ${points} points from ${games} games and lead the table.`,
    );
  },
  period: 'half',
};

const BASKETBALL: Sport = {
  name: 'basketball',
  venueKind: 'Arena',
  score: (c) => {
    const w = c.r.int(88, 124);
    return [w, w - c.r.int(2, 19)];
  },
  unit: 'points',
  decisive: (c, star, helper) => {
    const pts = c.r.int(24, 41);
    const reb = c.r.int(9, 17);
    return c.one(
      line(
        `${star} led all scorers with ${pts} points, and ${helper} added ${reb} rebounds.`,
        `${star} scored a game-high ${pts} points, while ${helper} had ${reb} rebounds.`,
      ),
      line(
        `${star} finished with ${pts} points, including ${c.r.int(3, 7)} three-pointers, and ${helper} grabbed ${reb} rebounds.`,
        `${star} scored ${pts} points and ${helper} pulled down ${reb} rebounds.`,
      ),
    );
  },
  standing: (c, winner) => {
    const wins = c.r.int(14, 40);
    const losses = c.r.int(5, 20);
    return line(
      `The victory improves the ${winner} to ${wins} wins and ${losses} losses this season.`,
      `The ${winner} now have ${wins} wins and ${losses} losses this season.`,
    );
  },
  period: 'quarter',
};

const HOCKEY: Sport = {
  name: 'ice hockey',
  venueKind: 'Ice Centre',
  score: (c) => {
    const w = c.r.int(2, 6);
    return [w, c.r.int(0, w - 1)];
  },
  unit: 'goals',
  decisive: (c, star, helper) => {
    const minute = c.r.int(2, 19);
    return line(
      `${star} scored the go-ahead goal with ${minute} minutes left in the third period, set up by ${helper}.`,
      `${star} scored the go-ahead goal with ${minute} minutes left, set up by ${helper}.`,
    );
  },
  standing: (c, winner) => {
    const streak = c.r.int(3, 9);
    return line(
      `It was the ${ordinal(streak)} straight win for the ${winner}, the longest run in the league this season.`,
      `The ${winner} have won ${streak} straight games, the longest run in the league this season.`,
    );
  },
  period: 'period',
};

const COACH_QUOTES = [
  'We stayed patient and trusted the game plan',
  'The players showed real character after a difficult start',
  'I am proud of the group, but there is still a lot to improve',
  'Our defence won us this game tonight',
  'We knew it would be tight, and we found a way to win',
];

const LOSER_QUOTES = [
  'We gave away too many easy chances',
  'We played well for long stretches and have nothing to be ashamed of',
  'Credit to them, they were sharper when it mattered',
  'We have to learn from this quickly because the next game is already on',
];

const INJURIES = ['a hamstring strain', 'an ankle injury', 'a knee problem', 'a shoulder injury', 'concussion symptoms'];

function build(c: Ctx): Draft {
  const sport = c.one(FOOTBALL, BASKETBALL, HOCKEY);
  const homeTown = c.town();
  const awayTown = c.town();
  const mascots = c.r.sample(TEAM_MASCOTS, 2);
  const home = `${homeTown} ${mascots[0]}`;
  const away = `${awayTown} ${mascots[1]}`;
  const homeWins = c.r.chance(0.6);
  const winner = homeWins ? home : away;
  const loser = homeWins ? away : home;
  const [a, b] = sport.score(c);
  const venue = `${homeTown} ${sport.venueKind}`;
  const day = c.weekday();
  const star = c.person();
  const helper = c.person();
  const coach = c.person();
  const rivalCoach = c.person();
  const injured = c.person();
  const crowd = c.count(2_500, 48_000);
  const nextDate = c.date();
  const nextTown = c.town();
  const lastMet = c.month();
  const prevA = c.r.int(0, 4);
  const prevB = c.r.int(0, 4);

  const lead = c.one(
    line(
      `The ${winner} beat the ${loser} ${a}-${b} in ${sport.name} on ${day}, with ${star.full} the standout player.`,
      `The ${winner} defeated the ${loser} ${a}-${b} on ${day}, led by ${star.full}.`,
    ),
    line(
      `${star.full} starred as the ${winner} defeated the ${loser} ${a}-${b} at ${venue} on ${day}.`,
      `The ${winner} beat the ${loser} ${a}-${b} at ${venue} on ${day}, with ${star.full} starring.`,
    ),
    line(
      `The ${loser} lost ${a}-${b} to the ${winner} at ${venue} on ${day}.`,
      `At ${venue} on ${day}, the ${winner} beat the ${loser} ${a}-${b}.`,
    ),
  );

  const keys = [sport.decisive(c, star.full, helper.full), sport.standing(c, winner)];
  if (c.r.chance(0.5)) {
    keys.push(
      line(
        `${injured.full} of the ${loser} left the game in the first ${sport.period} with ${c.one(...INJURIES)} and is expected to miss several weeks.`,
        `${injured.full} of the ${loser} was injured in the first ${sport.period} and is expected to miss several weeks.`,
      ),
    );
  }

  const fillers = [
    line(`A crowd of ${crowd} watched the game at ${venue}.`),
    line(`"${c.one(...COACH_QUOTES)}," said ${coach.full}, the head coach of the ${winner}.`),
    line(`"${c.one(...LOSER_QUOTES)}," said ${rivalCoach.full}, who coaches the ${loser}.`),
    line(`The two teams last met in ${lastMet}, when the game ended ${Math.max(prevA, prevB)}-${Math.min(prevA, prevB)}.`),
    line(`The ${loser} had the better of the opening ${sport.period} but could not turn their pressure into ${sport.unit}.`),
    line(`${helper.last} joined the club from ${c.town()} last summer and has started ${c.r.int(3, 40)} games since.`),
    line(`Both sides made changes to their line-ups after a busy week of training.`),
    line(`Tickets for the game sold out within ${c.r.int(2, 40)} hours of going on sale.`),
    line(`${star.last} has now scored ${c.r.int(8, 30)} times this season.`),
    line(`The referee was jeered by home fans after a series of disputed calls in the final minutes.`),
    line(`Fans of the ${winner} stayed in their seats long after the game ended to celebrate with the players.`),
    line(`${coach.last} said ${star.last} had been struggling with illness earlier in the week.`),
    line(`The ${loser} have won only ${c.r.int(2, 6)} of their last ${c.r.int(10, 14)} games.`),
  ];

  const closers = [
    line(`The ${winner} play the ${nextTown} ${c.one(...TEAM_MASCOTS.filter((m) => !mascots.includes(m)))} on ${nextDate}.`),
    line(`The ${loser} return to action at home on ${nextDate}.`),
    line(`Both teams are back in action on ${nextDate}.`),
  ];
  return { lead, keys, fillers, closers };
}

export const sports: TopicDef = { name: 'sports', build };
