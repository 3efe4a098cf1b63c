# The desktop and browser game's screens. Japanese: ../ja/app.ftl (the same ids).
# A hint for a key in square brackets ("[Enter]") follows two spaces.

## Everywhere

app-title = ttx — incident-response tabletop
back-to-title = Back to the title
# A team that gave no name, numbered.
team-default = Team { $n }

## Settings

settings-language = Language
# A language's name, shown in the picker only while its own name cannot be drawn yet (the
# browser fetches the Japanese font when it is first needed).
lang-name-en = English
lang-name-ja = Japanese
settings-text-size = Text size
settings-size-s = S
settings-size-m = M
settings-size-l = L
settings-size-xl = XL
settings-dark = Dark
settings-light = Light
settings-motion-on = Motion: on
settings-motion-off = Motion: off

## Title screen

title-intro = Pick a scenario, read the briefing, then play the incident turn by turn.
# A scenario opened from a file rather than bundled.
title-custom = custom
title-languages = Languages: { $languages }
title-length = { $turns } turns · { $span }
title-more = Files, workshops and settings
title-play = Play
title-open-file = Open scenario file…
title-or-type-path = or type its path:
title-open = Open
title-or-drop = …or drop a .ron file onto this window.
title-or-paste = …or paste a scenario
title-open-pasted = Open the pasted scenario
# The name a pasted scenario goes by, e.g. in "… could not be loaded".
title-pasted-name = pasted scenario
title-continue = Continue the autosaved game  [C]
title-export-save = Export save…
title-import-save = Import save…
title-leaderboard = Leaderboard ({ $n })
title-leaderboard-hover = Team results on this machine and imported ones
# $place: a folder, or "this browser's local storage".
title-autosave-where = The game autosaves after every turn to { $place }.
title-saving-off = Saving is off: nothing is kept after you quit.
title-browser-caveat = Browser storage can be cleared at any time: export your save to keep it.
title-facilitator-hint = Facilitators: F2 opens the facilitator console during a game (turn timer, injects, metrics, notes).
title-join = Join a workshop:
title-join-button = Join
title-run = Run a workshop on this server:
title-run-scenario = Workshop scenario
title-run-teams = teams:
title-run-default-teams = Red, Blue, Green
title-run-button = Create the workshop
title-run-hint = Creates a live session with these teams (comma-separated) and opens its dashboard, with each team's link and QR code to hand out.
title-run-desktop = Run a workshop on the server
title-run-hint-desktop = Creates a live session on that server (started with ttx serve, on this machine or the room's) with these teams (comma-separated), and opens its dashboard here, with each team's link, code and QR code to hand out.
title-run-failed = The workshop could not be created on { $server }: { $why }
title-run-not-an-address = “{ $server }” is not a server address (like 192.168.1.5:8080)
title-run-not-ttx = the server answered { $status }, not as ttx serve would
title-run-creating = Creating the workshop…
title-run-no-page = Workshops are created from the browser page of ttx serve (or with ttx serve --teams).
title-join-hint = Paste your team's link from the facilitator, or type your team's code (on the workshop's own page the code alone; elsewhere the server first: 192.168.1.5:8080 K7QM-3XPR). Everyone with the link or code plays the same game live.
title-join-placeholder = link, or code like K7QM-3XPR
title-run-synchronized = synchronized turns
title-run-synchronized-hover = Only you (or the timer) end the turns, for every team at once; the teams cannot end their own.
title-run-seed = seed:
title-run-seed-hover = Every team's game draws its chance events from this seed, so the teams face the same luck and their scores compare.

## Briefing

briefing-start = Start the first turn  [Enter]
briefing-objectives = Your objectives
briefing-facts = What this is based on
briefing-metrics = What you will watch
briefing-scoring = How you are scored
# $curve: how the part is scored, in the engine's words.
briefing-component = { $label } — { $points } of 100 points ({ $curve }).
briefing-resources =
    Each turn you have { $points ->
        [one] one action point
       *[other] { $points } action points
    }.
briefing-resources-budget =
    Each turn you have { $points ->
        [one] one action point
       *[other] { $points } action points
    } and a budget of { $budget }.
briefing-mitigations = Mitigations cost points and money and take time to work; some can be switched off again.

## Turn screen

# $label: the turn's date, from the scenario.
turn-heading = Turn { $n }/{ $total } — { $label }
turn-points = Action points { $left } of { $total }
turn-budget = Budget left { $money }
turn-end = End turn  [Enter]
turn-end-facilitator = The facilitator ends the turn
turn-end-facilitator-hover = This workshop's turns are synchronized: the facilitator (or the timer) ends them for every team at once.
turn-end-hover = Resolve this turn.
turn-end-hover-decisions = Unanswered decisions take their default option.
turn-undo = Undo turn  [Ctrl+Z]
turn-menu = Menu  [Esc]
turn-end-touch = End turn
turn-undo-touch = Undo
turn-menu-touch = Menu
card-details = Details
turn-resize-dashboard = Resize the dashboard
turn-resize-feed = Resize the event feed
turn-card-button = { $button }: { $card }
turn-why = Why are you doing this?
turn-why-hint = your reasoning, for the debrief and the report (N to write)
turn-note = Note it
turn-notes-count =
    { $n ->
        [one] one note this turn
       *[other] { $n } notes this turn
    }
turn-dashboard = Dashboard
turn-feed = Event feed
turn-mitigations = Mitigations
# After the default option of a decision.
turn-default-option = (default)

## Turn summary

summary-heading = What happened on { $label }
summary-coming-up = Coming up on { $label }
summary-col-metric = Metric
summary-col-before = Before
summary-col-after = After
summary-col-why = Why
summary-biggest = The biggest changes
summary-better = { $metric } { $delta } (better)
summary-worse = { $metric } { $delta } (worse)
summary-next-turn = Next turn  [Enter]
summary-to-debrief = See the debrief  [Enter]
summary-undo = Undo this turn  [Ctrl+Z]

## Debrief

debrief-scoring = Scoring…
debrief-grade = Grade { $grade }
debrief-charts = Over the turns (markers: your moves)
# Names of the lines of a chart.
debrief-chart-move = your move
debrief-chart-history = history
debrief-chart-name = { $metric }: chart over the turns
debrief-chart-you = you
debrief-chart-start = Start
debrief-moves-legend = Your moves on the timeline (the numbered markers):
debrief-questions = Questions for the debrief
debrief-team-name = Team name
debrief-team-hint = e.g. Blue team
debrief-add-result = Add to the leaderboard
debrief-add-result-hover = Keeps this result on this machine; “Export save…” on the title screen writes it as a result file
debrief-play-again = Play again with the same seed
debrief-replay-from = Replay from:
debrief-replay-hover = Branch a what-if: your moves up to here are replayed
debrief-export-report = Export the report… (R)
debrief-export-report-hover = Markdown and HTML: timeline, charts, comparison, questions, improvement plan
debrief-score-parts = The score, part by part
debrief-component = { $label } — { $points } of { $max }
debrief-choices = What your choices were worth
debrief-choices-help = Each one replayed away on the same seed.
debrief-facilitated = The facilitator intervened in this game: these replays and “Replay from” repeat the players' moves only.
debrief-no-actions = You took no actions.
debrief-col-you = You
debrief-col-history = History (model)

## Leaderboard

board-title = Leaderboard
board-import = Import result files…
board-import-hover = Saves exported by other teams' games
board-back = Back  [Esc]
board-empty = No results yet. After a game, name your team on the debrief and add the result; teams on other machines export their save and you import it here.
board-not-ranked = Not ranked — { $why }
board-remove = Remove
board-mixed-seeds = The teams played different seeds: their random events differed.
board-col-team = team
board-col-score = score
board-col-grade = grade
board-col-moves = moves
board-col-differed = first differed from the leader
# $part: a part of the score, e.g. "customer harm".
board-best-on = Best on { $part }: { $team } ({ $value })
# Stands for a result without a team name.
board-a-result = a result
board-error-empty = no results to compare
board-error-other-scenario = { $team } played “{ $theirs }”, not “{ $ours }”: compare results of one scenario
board-error-other-version = { $team } played another version of “{ $title }” (the file changed between games)

## Facilitator console

console-title-team = Facilitator console: team { $team }
console-every-team = Act on every team at once (each at its own turn)
console-title = Facilitator console
console-intro = For the facilitator: players do not see this until F2 opens it. Everything done here goes into the log, the save and the report.
console-timer = Turn timer
console-notes = This turn: notes and questions
console-injects = Injects
console-metrics = Metrics
console-timer-pause = Pause
console-timer-resume = Resume
console-timer-off = Switch off
# After the number of minutes per turn.
console-minutes = min
console-timer-start = Start the timer
console-timer-help = When time runs out the turn ends with the moves made so far; unanswered decisions take their default.
console-metric-hidden = { $label } (hidden)
console-metric-now = now { $value }
console-set = Set
console-no-notes = No notes or questions for this turn's events.
console-trigger = Trigger now
console-suppress = Suppress
console-allow = Allow
console-rolls = Random outcomes this turn
console-rolls-help = Fix where a random rule lands when this turn ends.
console-roll-low = Low
console-roll-middle = Middle
console-roll-high = High
console-step-back = Step back a turn
console-step-back-help = back to before the last “End turn”
console-done = Done from the console

## Over any screen: scenario errors, notices, the turn timer, the reload offer

errors-title = { $name } could not be loaded
errors-nothing-changed = Nothing was changed: fix the file and open it again (a watched file reloads by itself).
errors-error = error
errors-warning = warning
# $path: where in the scenario, e.g. "injects[3].channel".
errors-at = at { $path }
errors-help = help: { $hint }
errors-close = Close  [Esc]
notice-ok = OK
timer-left = Time left this turn { $clock }
timer-paused = (paused)
reload-changed = The scenario file changed on disk.
reload-button = Reload it

## Notices

# Something that was refused, and the reason.
notice-what-why = { $what }: { $why }
notice-not-ron = cannot write it as RON ({ $error })
notice-settings-not-kept = Could not remember the settings
notice-results-not-kept = Could not keep the results
notice-results-unreadable = The kept team results could not be read ({ $error }).
notice-results-unreadable-kept = The kept team results could not be read ({ $error }). It was kept as { $place }.
notice-autosave-failed = Could not autosave: { $error }
notice-no-autosave = There is no autosave to continue.
notice-resume-failed = The autosave could not be resumed: { $why }.
notice-resume-failed-kept = The autosave could not be resumed: { $why }. It was kept as { $place }.
notice-import-not-kept = Imported, but could not keep it as the autosave: { $error }
notice-import-failed = { $name } is not a ttx save this version can resume: { $why }.
notice-note-refused = The note was not kept: { $why }.
notice-nothing-to-undo = Nothing to undo: this is the first turn.
# $what: the intervention, in the engine's words.
notice-console-refused = Not done from the console — { $what }: { $why }
notice-step-back-refused = Cannot step back: { $why }
notice-result-not-added = { $name } was not added to the leaderboard: { $why }.

## Why a save cannot be resumed

resume-syntax = line { $line }:{ $col }: { $message }
resume-scenario = its scenario does not load: { $why }
resume-not-open-here = it is a save of scenario `{ $id }`, which is not open here
resume-other-version = { $team }'s result was played on another version of “{ $title }” than the results already here

## Where saves are kept (the browser)

store-browser = this browser's local storage
store-no-local-storage = this browser has no local storage
store-refused = the browser refused to store it (storage full or disabled)

## File dialogs and what they report

dialog-open-scenario = Open a ttx scenario
dialog-filter-scenario = ttx scenario
dialog-filter-save = ttx save
dialog-import-save = Import a ttx save
dialog-import-results = Import team result files
dialog-save-report = Save the after-action report
dialog-export-save = Export the save
dialog-no-game-to-report = There is no game to report on.
dialog-no-save-to-export = There is no save to export yet: play a turn first.
dialog-report-written = Report written to { $html } and { $md }.
dialog-report-failed = Could not write the report to { $path }: { $error }
dialog-save-exported = Save exported to { $path }.
dialog-save-export-failed = Could not export to { $path }: { $error }
dialog-report-downloaded = Report downloaded (HTML and Markdown).
dialog-save-downloaded = Save exported: look in your downloads.
# $step: the browser step that failed ("blob", "url"…).
dialog-download-failed = Could not download the file ({ $step }).
# The team the screenshot tour records on the leaderboard.
tour-team = Blue team

## A live workshop (ttx serve)
live-banner = Workshop · team { $team } · { $server }
live-banner-facilitator = Workshop · facilitator · { $server }
live-banner-joining = Workshop · { $server }
live-connecting = connecting…
live-connected = connected
live-lost = connection lost ({ $why }): reconnecting…
live-leave = Leave
live-not-a-link = That is not a workshop link or code: paste the whole link, like http://192.168.1.5:8080/?join=…, or type the server and the code, like 192.168.1.5:8080 K7QM-3XPR
live-code-needs-server = A code needs its server here: type the server's address first, like 192.168.1.5:8080 K7QM-3XPR
live-facilitator-ends-turns = In this workshop the facilitator ends the turns, for every team at once: keep making your moves until then.
live-not-here = In a workshop the server keeps the game: this is up to the facilitator.
live-outbox-full = Too many moves are waiting for the connection: wait until it is back.
live-garbled = The workshop server sent something unreadable: { $error }
live-bad-scenario = The workshop's scenario cannot be loaded: { $error }
live-refused = The server refused: { $why }
live-bad-sync = The team's game from the server cannot be rebuilt here: { $error }

## The facilitator's workshop dashboard
dash-title = Workshop: every team
dash-intro = Each team's game as it is played. Ranked by where each team's choices so far lead: its final score if it did nothing more (a score so far counts a measure's cost before its benefits).
dash-pace-free = Teams play at their own pace; end a turn here to move a team, or every team, on.
dash-pace-synchronized = Turns are synchronized: only you (or the timer) end them; end the turn for every team when all are ready.
dash-code = code:
dash-none = Not in a workshop.
dash-end-all = End the turn for every team
dash-end-one = End this team's turn
dash-waiting = waiting for the team's game…
dash-finished = finished
dash-turn = Turn { $turn }/{ $turns }
dash-score = score { $score }
dash-heading = if nothing more: { $score }
dash-heading-hover = The final score this team would reach if it did nothing more from here: every remaining turn ended as it stands, open decisions taking their defaults. Teams are ranked by it.
dash-moves = This turn: { $moves }
dash-no-moves = no moves yet
dash-report = Workshop report…
dash-report-hover = One after-action report for the whole workshop: the teams ranked side by side, then each team's own report (HTML and Markdown).
dash-timer-left = { $clock } left in this turn ({ $per } per turn); when it runs out, every team's turn ends
dash-timer-stop = Stop the timer
dash-timer-start = Start: every team's turn ends when it runs out
dash-timer-minutes = { " " }min per turn
dash-show-links = Show the teams' join links and QR codes (for the room's screen)
dash-projector = Projector view (no controls)
dash-console = Console
dash-online = { $n ->
    [0] nobody connected
    [one] 1 player connected
   *[other] { $n } players connected
}

## The workshop server's refusals ($why: the server's own words, in English)
srv-own-team = your team's link acts only for your own team.
srv-no-team = there is no team “{ $team }” in this workshop.
srv-which-team = say which team, or every team.
srv-which-turn = say which turn ends.
srv-facilitator-only = that is the facilitator's to do.
srv-too-long = that is too long (at most { $most } characters).
srv-no-change = that changes nothing in the game.
srv-wrong-turn = your team is already on turn { $now }, not { $asked }: another player ended the turn first.
srv-game-over = the game is over.
srv-timer-not-running = the timer is not running.
srv-timer-not-paused = the timer is not paused.
srv-timer-option = the timer takes minutes per turn, pause, resume or stop, not “{ $text }”.
srv-not-saved = the server could not save it, so it was not done ({ $why }).
srv-session-gone = this workshop is no longer on the server.

## Roles at a team's table (live workshops)
srv-not-your-role = { $role } decides this.
srv-no-proposal = that proposal is no longer open.
srv-no-vote = there is no open vote on that decision, or the team is voting on it: cast your vote.
table-heading = Your table
table-you = You: { $name } · { $roles }
table-no-role = no role yet
table-pick = Your name and roles
table-pick-hint = Pick the roles you play: their messages reach you, and you decide what they own.
table-name-hint = Your name
table-take-seat = Take these roles
table-vacant = Nobody holds { $role }: anyone may act for it.
table-proposes = { $who } proposes: { $what }
table-decides = { $role } decides
table-accept = Accept
table-decline = Decline
table-accepted = accepted by { $who }
table-declined = declined by { $who }
table-lapsed = lapsed with its turn
table-vote-call = Put to a vote (2 min)
table-vote-open = Vote open: { $left } left · { $n } of { $of } voted
table-vote-ended = The vote chose: { $option }
table-vote-default = A tie or no votes: { $option } (the default)
table-vote-hint = Click an answer to cast your vote.
decision-owner = { $role } decides; your answer goes to them as a proposal.
scene-press-conference = Press conference
scene-board-room = Board room
scene-hearing = Hearing
scene-prepared = Prepared
scene-unprepared = Unprepared
scene-prepared-line = Your team walks on briefed: steady lights, notes at hand.
scene-unprepared-line = Your team walks on unprepared: expect the hard question.
scene-asks = { $who } asks
scene-answers = Your answer
scene-stage-press = A press conference: a podium with microphones before a backdrop, the press with their cameras.
scene-stage-board = The board room: a long table, the board in their chairs.
scene-stage-hearing = A hearing: the bench above, the witness table below.
scene-stage-prepared = Steady lights; the speaker's notes lie ready.
scene-stage-unprepared = A storm of camera flashes; nothing lies ready.
scene-stage-unprepared-room = A cold glare on your seat; papers in disarray.
dash-seats = Roles
briefing-roles = Roles in your team
briefing-your-role = Your brief as { $role }
timeline-turn = { $turn }: show what happened
timeline-nothing = Nothing arrived and no move was made.

## An inject in its medium: an email's header, a ticket, a letter, a phone call

media-from = From
media-to = To
media-subject = Subject
media-date = Date
media-ticket = Ticket #{ $n }
media-reference = Ref. No. { $n }
media-letter-subject = Subject: { $title }
media-incoming-call = Incoming call · { $when }
media-quote = “{ $text }”
timeline-moves = Your moves
timeline-agenda = Planned
