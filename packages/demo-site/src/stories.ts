/**
 * The shorter stories the front page and the newsfeed link to. They are drawn in the frame of a
 * full article page (river-festival.html: masthead, newsfeed, footer) by `renderStory`, so every
 * link on the demo site leads to a page with its own discussion. The text is written for the
 * demo; Kestrelford and everyone in it are invented.
 */
export interface Story {
  headline: string;
  standfirst: string;
  section: string;
  author: { name: string; role: string; image: string };
  time: { iso: string; text: string };
  image: { src: string; alt: string; caption: string };
  paragraphs: string[];
  prompt: string;
}

export const stories: Record<string, Story> = {
  'tram-line-extension': {
    headline: 'Tram extension to Northgate campus wins £31m government grant',
    standfirst: 'The 2.4 km branch would link the university and the new hospital to the city centre by 2029, if the council finds the remaining £9m.',
    section: 'Transport',
    author: { name: 'Daniel Hale', role: 'Transport correspondent', image: 'author-hale.svg' },
    time: { iso: '2025-10-14T09:12', text: 'Tuesday 14 October 2025, 09:12' },
    image: { src: 'tram.svg', alt: 'A green Kestrelford tram at the Market Square stop', caption: 'The branch would leave the existing line at Market Square. Illustration: Courier Graphics' },
    paragraphs: [
      'Kestrelford’s long-promised tram extension to the Northgate campus moved a step closer on Tuesday after the Department for Transport confirmed a £31m grant towards the £40m scheme.',
      'The 2.4 km branch would add four stops between Market Square and the university, passing the new Northgate hospital. Trams would run every eight minutes during the day.',
      'Councillor Priya Desai, who chairs the transport committee, said the council would ask the university and the hospital trust to contribute to the remaining £9m. “Without them it is a very expensive way to run a bus,” she said.',
      'Residents of Mill Lane, where the route runs close to terraced houses, have asked for a second consultation on noise and vibration before construction begins.',
    ],
    prompt: 'Would you use the Northgate branch? Tell us how you get to the campus or the hospital today.',
  },
  'harbour-bridge-repairs': {
    headline: 'Harbour Bridge to close to cars for six weeks of repairs',
    standfirst: 'Pedestrians and cyclists will keep one lane while engineers replace corroded bearings; diversions will add up to 20 minutes at peak times.',
    section: 'News',
    author: { name: 'Daniel Hale', role: 'Transport correspondent', image: 'author-hale.svg' },
    time: { iso: '2025-10-14T08:40', text: 'Tuesday 14 October 2025, 08:40' },
    image: { src: 'bridge.svg', alt: 'The Harbour Bridge seen from the quayside at dusk', caption: 'The bridge, opened in 1968, carries 18,000 vehicles a day. Illustration: Courier Graphics' },
    paragraphs: [
      'The Harbour Bridge will close to motor traffic from 3 November for six weeks while engineers replace eight corroded bearings found during an inspection in the summer.',
      'One lane will stay open to pedestrians and cyclists throughout. Buses will be diverted over the Old Bridge, and the council expects journeys from the east side to take up to 20 minutes longer at peak times.',
      'Businesses on Harbour Street asked for the works to be moved to January, after the Christmas trade. The council said the bearings could not safely wait that long.',
    ],
    prompt: 'How will the closure affect your journeys? Share tips for getting around it.',
  },
  'saturday-market-future': {
    headline: 'Traders fear for Saturday market as stall rents rise by a fifth',
    standfirst: 'Stallholders say higher pitch fees and a shorter trading day will drive smaller traders away from a market that has run since 1284.',
    section: 'Business',
    author: { name: 'Siobhan Brennan', role: 'Business reporter', image: 'author-brennan.svg' },
    time: { iso: '2025-10-13T16:20', text: 'Monday 13 October 2025, 16:20' },
    image: { src: 'market.svg', alt: 'Striped awnings over stalls on Market Square', caption: 'About 60 stalls trade on Saturdays, down from 90 a decade ago. Illustration: Courier Graphics' },
    paragraphs: [
      'Pitch fees at Kestrelford’s Saturday market will rise by 21 per cent from January, the council confirmed, the first increase in four years.',
      'Stallholders said the rise, together with a plan to end trading at 3pm instead of 5pm, would make the market uneconomic for smaller traders. A petition against the changes has 2,300 signatures.',
      'The council said the fees still did not cover the cost of running the market, which it puts at £410,000 a year, and that it was looking at a covered evening market in summer.',
    ],
    prompt: 'Do you shop at the Saturday market? What would keep it going?',
  },
  'school-meals-pilot': {
    headline: 'Free breakfast pilot expanded to eleven more primary schools',
    standfirst: 'Head teachers report better attendance and concentration; the scheme will now reach about 3,400 children.',
    section: 'Education',
    author: { name: 'Siobhan Brennan', role: 'Education reporter', image: 'author-brennan.svg' },
    time: { iso: '2025-10-13T12:05', text: 'Monday 13 October 2025, 12:05' },
    image: { src: 'quayside.svg', alt: 'Children walking to school along the quayside', caption: 'The pilot began in four schools in the east of the city last year. Illustration: Courier Graphics' },
    paragraphs: [
      'A free breakfast club pilot that began in four primary schools last year will be extended to eleven more from January, reaching about 3,400 children.',
      'Head teachers at the first four schools reported fewer late arrivals and better concentration in morning lessons. Attendance rose by 1.8 percentage points on average.',
      'The £520,000 cost is shared between the council and a local food charity, which supplies cereals, fruit and bread.',
    ],
    prompt: 'Has your child’s school got a breakfast club? What difference has it made?',
  },
  'kestrelford-fc-promotion': {
    headline: 'Rovers go top of the league after stoppage-time winner at Ashby',
    standfirst: 'Tomás Ruiz’s header in the 94th minute gave Kestrelford Rovers a 2–1 win and their first spell at the top in eleven years.',
    section: 'Sport',
    author: { name: 'Daniel Hale', role: 'Sports writer', image: 'author-hale.svg' },
    time: { iso: '2025-10-12T19:45', text: 'Sunday 12 October 2025, 19:45' },
    image: { src: 'rowing.svg', alt: 'Rovers supporters celebrating in the away end', caption: 'About 1,100 Rovers fans made the trip to Ashby. Illustration: Courier Graphics' },
    paragraphs: [
      'Kestrelford Rovers went top of the league for the first time in eleven years after Tomás Ruiz headed in a corner four minutes into stoppage time at Ashby.',
      'Ashby had equalised on the hour after Leah Okafor’s early opener, and the home side hit the post twice before Ruiz’s winner.',
      'Manager Graham Pell said it was too early to talk about promotion. “We have been top for one evening. Ask me in April,” he said.',
    ],
    prompt: 'Were you at Ashby? Is this the season? Have your say.',
  },
  'library-sunday-opening': {
    headline: 'Central Library to open on Sundays from November',
    standfirst: 'The library will open from 11am to 4pm on Sundays for a twelve-month trial, paid for by shorter Monday hours.',
    section: 'News',
    author: { name: 'Siobhan Brennan', role: 'Arts and culture reporter', image: 'author-brennan.svg' },
    time: { iso: '2025-10-12T10:30', text: 'Sunday 12 October 2025, 10:30' },
    image: { src: 'chamber.svg', alt: 'The reading room of the Central Library', caption: 'The reading room was restored in 2019. Illustration: Courier Graphics' },
    paragraphs: [
      'Kestrelford Central Library will open on Sundays from 2 November, for the first time since 2011, in a twelve-month trial.',
      'It will open from 11am to 4pm, with the children’s library and study spaces available. To pay for it, the library will open at 1pm instead of 9am on Mondays, its quietest morning.',
      'A survey last spring found that two-thirds of respondents wanted weekend opening, most of them students and working parents.',
    ],
    prompt: 'Will you use the library on Sundays? What should it offer?',
  },
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One story drawn in the frame of a full article page: everything from its `<article>` to the end
 * of its discussion `<section>` is replaced, the masthead, newsfeed and footer are kept.
 */
export function renderStory(frame: string, key: string, story: Story): string {
  const start = frame.indexOf('<article>');
  const end = frame.indexOf('</section>', frame.indexOf('class="discussion"')) + '</section>'.length;
  if (start < 0 || end < start) throw new Error('demo-site: the story frame has no <article> and discussion section');
  const body = `<article>
        <header class="article-header">
          <ol class="breadcrumb"><li><a href="../index.html">News</a></li> <li><a href="../index.html">${escape(story.section)}</a></li></ol>
          <h1>${escape(story.headline)}</h1>
          <p class="standfirst">${escape(story.standfirst)}</p>
          <div class="byline">
            <img src="../img/${story.author.image}" alt="" width="44" height="44">
            <div class="byline-text">
              <div class="byline-name">By ${escape(story.author.name)}</div>
              <div>${escape(story.author.role)} · <time datetime="${story.time.iso}">${escape(story.time.text)}</time></div>
            </div>
            <a class="count" href="../articles/${key}.html#comments" data-parley-count data-site="demo" data-article="${key}">comments</a>
          </div>
        </header>
        <figure class="lead-photo">
          <img src="../img/${story.image.src}" alt="${escape(story.image.alt)}" width="1600" height="900">
          <figcaption>${escape(story.image.caption)}</figcaption>
        </figure>
        <div class="article-body">
          ${story.paragraphs.map((text, index) => `<p${index === 0 ? ' class="lead"' : ''}>${escape(text)}</p>`).join('\n          ')}
        </div>
      </article>
      <section class="discussion" id="comments" aria-labelledby="discussion-title">
        <div class="discussion-head">
          <h2 id="discussion-title">Discussion</h2>
        </div>
        <p class="discussion-note">${escape(story.prompt)} Comments are moderated by the Courier’s community team.</p>
        <parley-comments site="demo" article="${key}" title="${escape(story.headline)}" url="{{DEMO_URL}}/articles/${key}.html"></parley-comments>
      </section>`;
  const head = frame.slice(0, start).replace(/<title>[^<]*<\/title>/, `<title>${escape(story.headline)} | The Kestrelford Courier</title>`);
  return head + body + frame.slice(end);
}
