# エンジンのテキスト：タイムライン、カード、ターンのまとめ、スコア、事後レポート、端末版ゲーム。
# 英語版: ../en/game.ftl（同じ ID）

## 単位

unit-hours = { $n }時間
unit-days = { $n }日

## イベントが届く経路

channel-news = ニュース
channel-social-media = SNS
channel-store-staff = 店舗スタッフ
channel-support-desk = サポート窓口
channel-press = 報道機関
channel-regulator = 監督官庁
channel-internal = 社内

## タイムライン

line-event = 【{ $channel }】{ $title }
line-took = 「{ $label }」を実施
line-stopped = 「{ $label }」を停止
line-in-effect = 「{ $label }」の効果が発揮された
line-no-answer = 「{ $title }」に回答なし：{ $option }（既定の選択）
line-decided = 「{ $title }」を判断：{ $option }
line-why = 理由：{ $text }
line-facilitator = ファシリテーター：{ $act }

## プレイヤーの手

action-take = 「{ $label }」を実施
action-stop = 「{ $label }」を停止
action-choose = 「{ $title }」：{ $option }
# 「各選択の価値」の一行：ターンと手。
choice-label = { $turn }：{ $action }

## ターンのまとめとスコアの要因

change-cause = { $cause } { $delta }
driver-line = { $delta }（{ $cause }）

## 指標が動いた原因

cause-inject = イベント「{ $title }」
cause-decision = 判断「{ $title }」：{ $option }
cause-cost = 「{ $label }」の費用
cause-take = 「{ $label }」の実施
cause-activate = 「{ $label }」の効果発揮
cause-ongoing = 「{ $label }」の継続効果
cause-stop = 「{ $label }」の停止
cause-reset = ターンごとのリセット
cause-facilitator = ファシリテーターによる変更

## 対策カード

badge-available = 実施可能
badge-locked = 実施不可
badge-at-turn-end = このターンの終わりに効果発揮
badge-from = { $turn }から効果発揮
badge-too-late = 効果発揮が間に合わない
badge-active = 有効
badge-done = 実施済み
card-take = 実施
card-take-back = 取り消す
card-propose = 提案する
card-switch-off = 停止する
card-points = { $n }pt
card-no-money = 費用なし
card-lead = 効果発揮まで{ $time }
card-at-once = 即時に効果発揮
card-toggle = 停止可能

## 手が打てない理由

lock-finished = ゲームは終了しています
lock-active = すでに有効です
lock-pending = すでに実施中です
lock-done = 実施済みです
lock-requires = 先に「{ $label }」を実施する必要があります
lock-unavailable = 現在は実施できません：{ $why }
lock-not-now = 現在は実施できません
lock-needs-formula = 現在は実施できません（条件：{ $formula }）
lock-points = 行動ポイントが{ $need }必要です（このターンの残り：{ $left }）
lock-budget = 費用{ $need }に対し、予算の残りは{ $left }です
lock-not-running = 「{ $label }」は実施中ではありません
lock-one-shot = 「{ $label }」は一度きりの対策のため、開始後は停止できません
lock-no-decision = 「{ $title }」は、このターンに判断が求められている事案ではありません
lock-unknown-mitigation = 該当する対策がありません
lock-unknown-decision = 該当する判断がありません
lock-unknown-option = 該当する選択肢がありません
lock-unknown-inject = 該当するイベントがありません
lock-unknown-metric = 該当する指標がありません
lock-unknown-dynamic = 該当する変動ルールがありません
lock-unknown-intervention = コンソールからは実行できない操作です
lock-no-undo-record = このゲームには手を取り消すための記録がありません
lock-before-intervention = このターンのファシリテーターによる変更より前の手のため、取り消せません
lock-fired = 「{ $title }」は発生済みで、再び発生することはありません
lock-already-due = 「{ $title }」はこのターン、すでにプレイヤーに提示されています
lock-nothing-to-undo = 戻れる前のターンがありません
lock-not-a-number = { $what }には有限の数値を指定してください
lock-draw-not-a-number = 乱数の値には有限の数値を指定してください
lock-too-many-records = 1ターンに残せるメモと記録は{ $n }件までです

## ファシリテーターのコンソール操作

act-trigger = 「{ $title }」を発生させた
act-suppress = 「{ $title }」を以後発生しないようにした
act-allow = 「{ $title }」を再び発生するようにした
act-set-metric = { $metric }を{ $value }に設定した
act-set-a-metric = 指標を設定した
act-roll-low = このターンの「{ $label }」の乱数を{ $percent }%（低め）に固定した
act-roll-middle = このターンの「{ $label }」の乱数を{ $percent }%（中間）に固定した
act-roll-high = このターンの「{ $label }」の乱数を{ $percent }%（高め）に固定した
act-stepped-back = { $from }から{ $to }に戻した
act-end-of-game = ゲーム終了
act-time-up = 時間切れ：それまでの手でターンを終了した

## ファシリテーターのコンソール：各イベントの状況

inject-suppressed = 抑止中
inject-due = プレイヤーが対応中
inject-not-yet = 未発生
inject-fired = { $n }回発生

## チームの結果の比較（ttx compare）

compare-heading = { $title } — { $n }チーム
compare-mixed-seeds = （シードが異なるため、ランダムな出来事も異なります）
compare-col-rank = 順位
compare-col-team = チーム
compare-col-score = スコア
compare-col-grade = 評価
compare-col-moves = 手数
compare-col-diverged = 首位と最初に分かれたターン
compare-leader = （首位）
compare-same-moves = 首位と同じ手
compare-unfinished = { $note }（未完了）
compare-best-on = { $component }で最も良かったチーム：{ $team }（{ $value }）

## 事後レポート

report-title = 事後レポート：{ $title }
report-workshop-title = ワークショップ報告：{ $title }
report-workshop-team = { $rank }位　チーム { $team }
# Markdown：シード、実施ターン数、スコア、評価、講評。
report-result = シード{ $seed }・{ $turns }・スコア{ $score }、評価{ $grade }：{ $verdict }
report-turns-played = { $n }ターン実施
report-seed-turns = シード{ $seed }・{ $turns }ターン
# HTML：スコア（大きく）、評価、講評。
report-score-line = { $score } 評価{ $grade }：{ $verdict }
report-score = スコア
report-col-component = 項目
report-col-value = 値
report-col-points = 得点
report-points-of = { $points } / { $max }
report-choices = 各選択の価値
report-choices-help = 同じシードで、各選択をしなかった場合と比べた得点差です。
report-choice = { $delta }点：{ $choice }
report-timeline = タイムライン
report-compared = 比較
report-col-you = あなた（{ $score }）
report-col-history = 史実（{ $score }）
report-col-best = 見つかった最善の戦略（{ $score }）
report-metrics-over-time = 指標の推移
report-series-you = あなた
report-series-history = 史実
report-series-best = 見つかった最善の戦略
report-questions = 議論のための問い
report-plan = 改善計画
report-col-finding = 課題
report-col-owner = 担当者
report-col-due = 期限

## 端末版ゲーム（ttx play --text、replay、report）

cli-turn = ══ ターン { $n }/{ $total }：{ $label } ══
cli-metrics = 指標：
cli-points = 残りの行動ポイント：{ $n }
cli-points-budget = 残りの行動ポイント：{ $n }、残りの予算：{ $money }
cli-mitigations = 対策：
cli-locked = 実施不可：{ $why }
cli-decision = 判断「{ $title }」（{ $id }）：
cli-chosen = ← 選択中
cli-prompt = 手を入力してください（空行でターン終了、`help` でコマンド一覧）：
cli-help = コマンド：N または ID（対策を実施。実施中なら停止）| take ID | stop ID | choose 判断ID 選択肢 | why 理由（レポートに残す判断の理由）| undo（1ターン戻る）| help | 空行：ターン終了
cli-nothing-to-undo = 戻せるターンがありません
cli-noted = 記録しました
cli-not-noted = 記録できません：{ $why }
cli-done = { $action }（残りの行動ポイント：{ $n }）
cli-refused = { $action }：{ $why }
cli-no-number = 対策番号 { $n } はありません
cli-no-mitigation = 対策 `{ $word }` はありません
cli-did-you-mean = { $text }（もしかして `{ $hint }`？）
cli-no-decision = 判断 `{ $id }` はありません
cli-no-option = `{ $decision }` に選択肢 `{ $option }` はありません
cli-unreadable = `{ $line }` を読み取れません。`help` と入力してください
cli-what-happened = ── { $turn }の出来事 ──
cli-change-why = （{ $why }）
cli-list-separator = 、
cli-debrief = ════ 振り返り：{ $title } ════
cli-score = スコア { $score }/100、評価 { $grade }：{ $verdict }
cli-component = { $points } / { $max }点（値 { $value }）
cli-choices = 各選択の価値（同じシードで、その選択をしなかった場合と比較）：
cli-choice-points = { $delta }点
cli-history = { $label }（同じシード）：スコア { $score }、評価 { $grade }
cli-col-you = あなた
cli-col-history-model = 史実（モデル）
cli-col-history-real = 史実（実際）
cli-saved = { $path } に保存しました
cli-replayed = { $actions }件の操作を{ $turns }ターン分再実行しました。ログは一致しています（{ $entries }件）。
cli-wrote = { $md } と { $html } を書き出しました

cohort-title = コホートレポート: { $title }
cohort-summary = { $sessions } 回のワークショップ、{ $teams } チーム: 平均スコア { $mean }、中央値 { $median }、最低 { $low } から最高 { $high }。
cohort-teams = スコア順のチーム
cohort-measures = 実施された対策
cohort-decisions = 判断
cohort-lessons = 教訓: それぞれが教えることを実行したチーム
cohort-col-team = チーム (ワークショップ)
cohort-col-score = スコア
cohort-col-grade = 評価
cohort-col-measure = 対策
cohort-col-taken = 実施したチーム
cohort-col-first-turn = 最初に実施したターン
cohort-share = { $of } チーム中 { $n } ({ $pct }%)
cohort-faced = { $n } チームが直面
cohort-by-default = うち { $n } は既定
cohort-did = { $share }
cohort-unfinished = { $n } チームはまだ終了していません (スコアは途中経過)。
cohort-no-decisions = まだ判断に至ったチームはありません。
cohort-roles = 役割ごとの行動
cohort-col-role = 役割
cohort-col-made = 実行した対策
cohort-col-proposed = 他の役割への提案
cohort-col-accepted = 承認した提案
cohort-col-declined = 却下した提案
cohort-record = { $team }：チームの記録
cohort-deed-proposed = { $what }を提案
cohort-deed-accepted = { $proposer }の提案{ $what }を承認
cohort-deed-declined = { $proposer }の提案{ $what }を却下
cohort-deed-voted = チームの投票で{ $what }に決定
cohort-deed-vote-default = 投票は同数または投票なし：{ $what }（既定）
report-deeds = チームの誰が何をしたか

## 媒体ごとの表示（投稿、記事、チケット一覧）

media-anonymous = 匿名アカウント
media-to-team = 対策チーム
media-reach-post = リポスト { $reposts }・いいね { $likes }
media-reach-article = { $n }回シェア
media-reach-tickets = 未対応 { $n }件
