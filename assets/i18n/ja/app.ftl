# デスクトップ版・ブラウザ版ゲームの画面。英語版: ../en/app.ftl（同じ ID）
# キーのヒント（「[Enter]」など）は半角スペース2つの後に置く。
# 画面の文字はすべて同梱フォント（JIS 第1・第2水準の漢字とかな）で描ける字にすること。

## 共通

app-title = ttx — インシデント対応机上演習
back-to-title = タイトルに戻る
team-default = チーム{ $n }

## 設定

settings-language = 言語
lang-name-en = 英語
lang-name-ja = 日本語
settings-text-size = 文字サイズ
settings-size-s = 小
settings-size-m = 中
settings-size-l = 大
settings-size-xl = 特大
settings-dark = ダーク
settings-light = ライト
settings-motion-on = 動き：オン
settings-motion-off = 動き：オフ

## タイトル画面

title-intro = シナリオを選び、ブリーフィングを読んでから、インシデントに1ターンずつ対応します。
title-custom = カスタム
title-languages = 言語：{ $languages }
title-length = { $turns }ターン・{ $span }
title-more = ファイル・ワークショップ・設定
title-play = プレイ
title-open-file = シナリオファイルを開く…
title-or-type-path = またはパスを入力：
title-open = 開く
title-or-drop = …または .ron ファイルをこのウィンドウにドロップ
title-or-paste = …またはシナリオを貼り付け
title-open-pasted = 貼り付けたシナリオを開く
title-pasted-name = 貼り付けたシナリオ
title-continue = 自動保存から再開  [C]
title-export-save = セーブをエクスポート…
title-import-save = セーブをインポート…
title-leaderboard = リーダーボード（{ $n }）
title-leaderboard-hover = この端末のチーム結果とインポートした結果
title-autosave-where = ゲームは毎ターン終了時に { $place } へ自動保存されます。
title-saving-off = 保存は無効です。終了すると何も残りません。
title-browser-caveat = ブラウザーのストレージはいつ消去されるか分かりません。残すにはセーブをエクスポートしてください。
title-facilitator-hint = ファシリテーターの方へ：ゲーム中に F2 でファシリテーター用コンソール（ターンタイマー、インジェクト、指標、メモ）を開けます。
title-join = ワークショップに参加：
title-join-button = 参加
title-run = このサーバーでワークショップを開く：
title-run-scenario = ワークショップのシナリオ
title-run-teams = チーム：
title-run-default-teams = 赤、青、緑
title-run-button = ワークショップを作成
title-run-hint = 入力したチーム（読点またはカンマ区切り）でライブセッションを作り、ダッシュボードを開きます。各チームのリンクとQRコードを配布できます。
title-run-desktop = サーバーでワークショップを開く
title-run-hint-desktop = そのサーバー（ttx serve で起動したもの。このパソコンでも会場のものでも可）に、これらのチーム（カンマ区切り）でライブセッションを作成し、ここにダッシュボードを開きます。各チームのリンク、コード、QRコードを配布できます。
title-run-failed = { $server } でワークショップを作成できませんでした：{ $why }
title-run-not-an-address = “{ $server }” はサーバーのアドレス（192.168.1.5:8080 のような）ではありません
title-run-not-ttx = サーバーの応答（{ $status }）が ttx serve のものではありません
title-run-creating = ワークショップを作成しています…
title-run-no-page = ワークショップは ttx serve のブラウザページから作成します（または ttx serve --teams）。
title-join-hint = ファシリテーターから届いたチームのリンクを貼り付けるか、チームのコードを入力してください（ワークショップのページではコードだけ、それ以外ではサーバーに続けて：192.168.1.5:8080 K7QM-3XPR）。同じリンクやコードを使った全員が、同じゲームを一緒にプレイします。
title-join-placeholder = リンク、または K7QM-3XPR のようなコード
title-run-synchronized = ターンをそろえる
title-run-synchronized-hover = ターンを終えられるのはあなた（またはタイマー）だけで、全チームが同時に次へ進みます。チームは自分でターンを終えられません。
title-run-seed = シード：
title-run-seed-hover = 全チームのゲームが、このシードから偶然の出来事を決めます。どのチームも同じ運の下で戦うので、スコアを比べられます。

## ブリーフィング

briefing-start = 最初のターンを開始  [Enter]
briefing-objectives = 目標
briefing-facts = 元になった事実
briefing-metrics = 注視する指標
briefing-scoring = 採点方法
briefing-component = { $label } — 100点中{ $points }点（{ $curve }）。
briefing-resources = 各ターンのアクションポイントは{ $points }です。
briefing-resources-budget = 各ターンのアクションポイントは{ $points }、予算は{ $budget }です。
briefing-mitigations = 対策にはポイントと費用がかかり、効果が出るまで時間がかかります。途中で停止できる対策もあります。

## ターン画面

turn-heading = ターン { $n }/{ $total } — { $label }
turn-points = ポイント 残り{ $left }/{ $total }
turn-budget = 残り予算 { $money }
turn-end = ターン終了  [Enter]
turn-end-facilitator = ターンはファシリテーターが終えます
turn-end-facilitator-hover = このワークショップはターンをそろえて進めます。ファシリテーター（またはタイマー）が全チームのターンを同時に終えます。
turn-end-hover = このターンを確定します。
turn-end-hover-decisions = 未回答の判断は既定の選択肢になります。
turn-undo = ターンを取り消す  [Ctrl+Z]
turn-menu = メニュー  [Esc]
turn-end-touch = ターン終了
turn-undo-touch = 取り消す
turn-menu-touch = メニュー
card-details = くわしく
turn-resize-dashboard = ダッシュボードの幅を変える
turn-resize-feed = イベントフィードの幅を変える
turn-card-button = { $button }：{ $card }
turn-why = この対応の理由は？
turn-why-hint = 判断の理由（振り返りと事後レポートに残ります。Nキーで入力）
turn-note = 記録する
turn-notes-count = このターンのメモ：{ $n }件
turn-dashboard = ダッシュボード
turn-feed = イベントフィード
turn-mitigations = 対策
turn-default-option = （既定）

## ターンのまとめ

summary-heading = { $label }の出来事
summary-coming-up = 次の予定：{ $label }
summary-col-metric = 指標
summary-col-before = 前
summary-col-after = 後
summary-col-why = 理由
summary-biggest = 大きな変化
summary-better = { $metric } { $delta }（改善）
summary-worse = { $metric } { $delta }（悪化）
summary-next-turn = 次のターン  [Enter]
summary-to-debrief = 振り返りへ  [Enter]
summary-undo = このターンを取り消す  [Ctrl+Z]

## 振り返り

debrief-scoring = 採点中…
debrief-grade = 評価 { $grade }
debrief-charts = ターンごとの推移（縦線：対応したターン）
debrief-chart-move = 対応
debrief-chart-history = 史実
debrief-chart-name = { $metric }：ターンごとの推移のグラフ
debrief-chart-you = チーム
debrief-chart-start = 開始
debrief-moves-legend = タイムライン上のチームの対応（グラフの番号）：
debrief-questions = 振り返りの問い
debrief-team-name = チーム名
debrief-team-hint = 例：青チーム
debrief-add-result = リーダーボードに追加
debrief-add-result-hover = この結果をこの端末に保存します。タイトル画面の「セーブをエクスポート…」で結果ファイルとして書き出せます
debrief-play-again = 同じシードでもう一度プレイ
debrief-replay-from = 途中からやり直す：
debrief-replay-hover = 「もしも」を試す：ここまでの対応を再現して分岐します
debrief-export-report = 事後レポートをエクスポート…（R）
debrief-export-report-hover = Markdown と HTML：タイムライン、グラフ、比較、問い、改善計画
debrief-score-parts = スコアの内訳
debrief-component = { $label } — { $points } / { $max }
debrief-choices = 各判断の効果
debrief-choices-help = 同じシードで、その判断だけをしなかった場合との差です。
debrief-facilitated = このゲームではファシリテーターが介入しました。ここでの再計算と「途中からやり直す」では、プレイヤーの対応だけを再現します。
debrief-no-actions = 対策を何も実施しませんでした。
debrief-col-you = チーム
debrief-col-history = 史実（モデル）

## リーダーボード

board-title = リーダーボード
board-import = 結果ファイルをインポート…
board-import-hover = 他のチームのゲームからエクスポートしたセーブ
board-back = 戻る  [Esc]
board-empty = まだ結果がありません。ゲームの後、振り返り画面でチーム名を入れて結果を追加してください。別の端末のチームはセーブをエクスポートし、ここでインポートします。
board-not-ranked = 順位対象外 — { $why }
board-remove = 削除
board-mixed-seeds = チームごとにシードが異なるため、ランダムな出来事が違っていました。
board-col-team = チーム
board-col-score = スコア
board-col-grade = 評価
board-col-moves = 対応数
board-col-differed = 首位と分かれたターン
board-best-on = { $part }の最高：{ $team }（{ $value }）
board-a-result = 名前のない結果
board-error-empty = 比較する結果がありません
board-error-other-scenario = { $team }がプレイしたのは「{ $ours }」ではなく「{ $theirs }」です。同じシナリオの結果どうしを比較してください
board-error-other-version = { $team }は別のバージョンの「{ $title }」をプレイしました（ゲームの間にファイルが変更されています）

## ファシリテーター用コンソール

console-title-team = ファシリテーター用コンソール：チーム { $team }
console-every-team = 全チームにまとめて適用（各チームの現在のターンに）
console-title = ファシリテーター用コンソール
console-intro = ファシリテーター専用：F2 で開くまでプレイヤーには表示されません。ここでの操作はすべてログ、セーブ、事後レポートに記録されます。
console-timer = ターンタイマー
console-notes = このターンのメモと問い
console-injects = インジェクト
console-metrics = 指標
console-timer-pause = 一時停止
console-timer-resume = 再開
console-timer-off = 止める
console-minutes = 分
console-timer-start = タイマーを開始
console-timer-help = 時間切れになると、それまでの対応でターンが終了し、未回答の判断は既定の選択肢になります。
console-metric-hidden = { $label }（非表示）
console-metric-now = 現在 { $value }
console-set = 設定
console-no-notes = このターンのイベントにはメモも問いもありません。
console-trigger = 今すぐ発生
console-suppress = 抑止
console-allow = 許可
console-rolls = このターンのランダムな結果
console-rolls-help = ターン終了時にランダムなルールがどこに落ちるかを固定します。
console-roll-low = 低
console-roll-middle = 中
console-roll-high = 高
console-step-back = 1ターン戻す
console-step-back-help = 直前の「ターン終了」の前に戻します
console-done = コンソールで行った操作

## 全画面共通：シナリオのエラー、お知らせ、ターンタイマー、再読み込み

errors-title = { $name } を読み込めませんでした
errors-nothing-changed = 何も変更していません。ファイルを直してもう一度開いてください（監視中のファイルは自動で再読み込みされます）。
errors-error = エラー
errors-warning = 警告
errors-at = 場所：{ $path }
errors-help = ヒント：{ $hint }
errors-close = 閉じる  [Esc]
notice-ok = OK
timer-left = このターンの残り時間 { $clock }
timer-paused = （一時停止中）
reload-changed = シナリオファイルが変更されました。
reload-button = 再読み込み

## お知らせ

notice-what-why = { $what }：{ $why }
notice-not-ron = RON として書き出せません（{ $error }）
notice-settings-not-kept = 設定を保存できませんでした
notice-results-not-kept = 結果を保存できませんでした
notice-results-unreadable = 保存済みのチーム結果を読み込めませんでした（{ $error }）。
notice-results-unreadable-kept = 保存済みのチーム結果を読み込めませんでした（{ $error }）。元のファイルは { $place } として残してあります。
notice-autosave-failed = 自動保存できませんでした：{ $error }
notice-no-autosave = 再開できる自動保存がありません。
notice-resume-failed = 自動保存から再開できませんでした：{ $why }。
notice-resume-failed-kept = 自動保存から再開できませんでした：{ $why }。元のファイルは { $place } として残してあります。
notice-import-not-kept = インポートしましたが、自動保存として保存できませんでした：{ $error }
notice-import-failed = { $name } は、このバージョンで再開できる ttx のセーブではありません：{ $why }。
notice-note-refused = メモを記録できませんでした：{ $why }。
notice-nothing-to-undo = 取り消せる操作はありません。最初のターンです。
notice-console-refused = コンソールから実行できませんでした（{ $what }）：{ $why }
notice-step-back-refused = 戻せません：{ $why }
notice-result-not-added = { $name } をリーダーボードに追加できませんでした：{ $why }。

## セーブを再開できない理由

resume-syntax = { $line }行{ $col }列：{ $message }
resume-scenario = シナリオを読み込めません：{ $why }
resume-not-open-here = シナリオ `{ $id }` のセーブですが、そのシナリオはここで開かれていません
resume-other-version = { $team }の結果は、既存の結果とは別のバージョンの「{ $title }」でプレイされています

## 保存場所（ブラウザー）

store-browser = このブラウザーのローカルストレージ
store-no-local-storage = このブラウザーにはローカルストレージがありません
store-refused = ブラウザーが保存を拒否しました（容量不足か、保存が無効になっています）

## ファイルダイアログとその結果

dialog-open-scenario = ttx のシナリオを開く
dialog-filter-scenario = ttx シナリオ
dialog-filter-save = ttx セーブ
dialog-import-save = ttx のセーブをインポート
dialog-import-results = チームの結果ファイルをインポート
dialog-save-report = 事後レポートを保存
dialog-export-save = セーブをエクスポート
dialog-no-game-to-report = レポートにするゲームがありません。
dialog-no-save-to-export = エクスポートできるセーブはまだありません。まず1ターンプレイしてください。
dialog-report-written = 事後レポートを { $html } と { $md } に保存しました。
dialog-report-failed = 事後レポートを { $path } に保存できませんでした：{ $error }
dialog-save-exported = セーブを { $path } にエクスポートしました。
dialog-save-export-failed = { $path } にエクスポートできませんでした：{ $error }
dialog-report-downloaded = 事後レポートをダウンロードしました（HTML と Markdown）。
dialog-save-downloaded = セーブをエクスポートしました。ダウンロードフォルダーを確認してください。
dialog-download-failed = ファイルをダウンロードできませんでした（{ $step }）。
# The team the screenshot tour records on the leaderboard.
tour-team = 青チーム

## ライブワークショップ（ttx serve）
live-banner = ワークショップ · チーム { $team } · { $server }
live-banner-facilitator = ワークショップ · ファシリテーター · { $server }
live-banner-joining = ワークショップ · { $server }
live-connecting = 接続中…
live-connected = 接続済み
live-lost = 接続が切れました（{ $why }）：再接続しています…
live-leave = 退出
live-not-a-link = ワークショップのリンクでもコードでもありません。http://192.168.1.5:8080/?join=… のようなリンク全体を貼り付けるか、192.168.1.5:8080 K7QM-3XPR のようにサーバーとコードを入力してください。
live-code-needs-server = ここではコードにサーバーの指定が必要です。192.168.1.5:8080 K7QM-3XPR のように、先にサーバーのアドレスを入力してください。
live-facilitator-ends-turns = このワークショップでは、ファシリテーターが全チームのターンを同時に終えます。それまで手を打ち続けてください。
live-not-here = ワークショップではゲームをサーバーが管理しています。この操作はファシリテーターが行います。
live-outbox-full = 接続待ちの操作が多すぎます。接続が戻るまでお待ちください。
live-garbled = ワークショップのサーバーから読み取れないデータが届きました：{ $error }
live-bad-scenario = ワークショップのシナリオを読み込めません：{ $error }
live-refused = サーバーが受け付けませんでした：{ $why }
live-bad-sync = サーバーから届いたチームのゲームをここで再現できません：{ $error }

## ファシリテーター用ワークショップ画面
dash-title = ワークショップ：全チーム
dash-intro = 各チームのゲームを進行中のまま表示します。並び順は、これまでの選択が行き着く先、つまりこれ以上何もしなかった場合の最終スコアです（現時点のスコアは、対策の費用を効果より先に数えます）。
dash-pace-free = チームはそれぞれのペースで進みます。ここでターンを終えると、そのチーム、または全チームを次へ進められます。
dash-pace-synchronized = ターンをそろえて進めます。ターンを終えられるのはあなた（またはタイマー）だけです。全チームの準備ができたら、全チームのターンを終えてください。
dash-code = コード：
dash-none = ワークショップに参加していません。
dash-end-all = 全チームのターンを終える
dash-end-one = このチームのターンを終える
dash-waiting = チームのゲームを待っています…
dash-finished = 終了
dash-turn = ターン { $turn }/{ $turns }
dash-score = スコア { $score }
dash-heading = このままなら { $score }
dash-heading-hover = ここから何もしなかった場合にこのチームが行き着く最終スコアです（残りのターンをこのまま終え、未回答の判断は既定の選択になります）。この値で順位を決めています。
dash-moves = このターン：{ $moves }
dash-no-moves = まだ操作なし
dash-report = ワークショップ報告…
dash-report-hover = ワークショップ全体の事後レポートを1つにまとめます。チームの順位を並べて比べ、続けて各チームのレポートを載せます（HTMLとMarkdown）。
dash-timer-left = このターンの残り { $clock }（1ターン { $per }）。時間切れで全チームのターンが終わります
dash-timer-stop = タイマーを止める
dash-timer-start = 開始：時間切れで全チームのターンが終わります
dash-timer-minutes = { " " }分／ターン
dash-show-links = チームの参加リンクとQRコードを表示（会場のスクリーン用）
dash-projector = プロジェクター表示（操作ボタンなし）
dash-console = コンソール
dash-online = 接続中 { $n } 人

## The workshop server's refusals ($why: the server's own words, in English)
srv-own-team = チームのリンクで操作できるのは自分のチームだけです。
srv-no-team = このワークショップに「{ $team }」というチームはありません。
srv-which-team = どのチームか（または全チームか）を指定してください。
srv-which-turn = どのターンを終えるかを指定してください。
srv-facilitator-only = それはファシリテーターの操作です。
srv-too-long = 長すぎます（最大 { $most } 文字）。
srv-no-change = ゲームに何の変化もありません。
srv-wrong-turn = チームはすでにターン { $now } です（ターン { $asked } ではありません）。別のプレイヤーが先にターンを終えました。
srv-game-over = ゲームは終了しています。
srv-timer-not-running = タイマーは動いていません。
srv-timer-not-paused = タイマーは一時停止していません。
srv-timer-option = タイマーに指定できるのは、1ターンの時間、一時停止、再開、停止です（「{ $text }」は指定できません）。
srv-not-saved = サーバーが保存できなかったため、実行されませんでした（{ $why }）。
srv-session-gone = このワークショップはもうサーバーにありません。

## Roles at a team's table (live workshops)
srv-not-your-role = これは{ $role }が決めます。
srv-no-proposal = その提案はもう受け付けていません。
srv-no-vote = その判断について受付中の投票はありません。投票中なら、投票してください。
table-heading = チームの席
table-you = あなた：{ $name } · { $roles }
table-no-role = 役割なし
table-pick = 名前と役割
table-pick-hint = 担当する役割を選んでください。その役割あての連絡が届き、その役割の判断はあなたが決めます。
table-name-hint = 名前
table-take-seat = この役割にする
table-vacant = { $role }の担当者がいません。誰でも代わりに操作できます。
table-proposes = { $who }の提案：{ $what }
table-decides = { $role }が決定
table-accept = 承認
table-decline = 却下
table-accepted = { $who }が承認
table-declined = { $who }が却下
table-lapsed = ターン終了で失効
table-vote-call = 投票にかける（2分）
table-vote-open = 投票中：残り{ $left } · { $of }人中{ $n }人が投票
table-vote-ended = 投票の結果：{ $option }
table-vote-default = 同数または投票なし：{ $option }（既定）
table-vote-hint = 答えをクリックして投票します。
decision-owner = { $role }が決めます。あなたの答えは提案として送られます。
scene-press-conference = 記者会見
scene-board-room = 取締役会
scene-hearing = 公聴会
scene-prepared = 準備済み
scene-unprepared = 準備不足
scene-prepared-line = チームは準備を整えて臨む：落ち着いた照明、手元にはメモ。
scene-unprepared-line = チームは準備不足のまま臨む：厳しい質問を覚悟せよ。
scene-asks = { $who }の質問
scene-answers = あなたの答え
scene-stage-press = 記者会見：背景幕の前にマイクの並ぶ演台、カメラを構えた報道陣。
scene-stage-board = 取締役会：長いテーブルと、席に着いた取締役たち。
scene-stage-hearing = 公聴会：高い壇上の委員席と、その前の証人席。
scene-stage-prepared = 落ち着いた照明。話し手のメモが用意されている。
scene-stage-unprepared = 一斉に焚かれるフラッシュ。何も用意されていない。
scene-stage-unprepared-room = 席を冷たい光が照らし、書類は散らかったまま。
dash-seats = 役割
briefing-roles = チームの役割
briefing-your-role = { $role }としてのブリーフ
timeline-turn = { $turn }：この日の出来事を表示
timeline-nothing = 届いた知らせも、打った手もありません。

## 媒体ごとの表示：メールの見出し、チケット、書簡、電話

media-from = 差出人
media-to = 宛先
media-subject = 件名
media-date = 日付
media-ticket = チケット #{ $n }
media-reference = 文書番号 { $n }
media-letter-subject = 件名：{ $title }
media-incoming-call = 着信・{ $when }
media-quote = 「{ $text }」
timeline-moves = 打った手
timeline-agenda = 予定
