// The playground's words in English and Korean (the language of the lesson
// summary wiggle grew from). Elements carry data-i18n="key" (their text) or
// data-i18n-title="key" (their tooltip); scripts call t(key).
'use strict';

const WORDS = {
  tagline: ['The non-linearity is where we get the wiggle. Train a network in your browser and watch what its activation does.',
    '비선형성이 곧 "꿈틀거림"을 만든다. 브라우저에서 신경망을 학습시키며 활성화 함수가 하는 일을 직접 보세요.'],
  save: ['⤓ Save model', '⤓ 모델 저장'],
  open: ['⤒ Open model', '⤒ 모델 열기'],
  saveTip: ['Save the network as a wiggle model file (wiggle eval and predict read it)', '신경망을 wiggle 모델 파일로 저장합니다 (wiggle eval, predict로 읽을 수 있음)'],
  openTip: ['Open a wiggle model file trained here or with wiggle train', '여기서 또는 wiggle train으로 학습한 모델 파일을 엽니다'],
  needsServer: ['This page trains its network in a Web Worker, which a browser does not start for a page opened from disk. Serve its folder over HTTP: run "python3 -m http.server" in it and open http://localhost:8000/ (or run "wiggle serve").',
    '이 페이지는 Web Worker에서 신경망을 학습시키는데, 브라우저는 파일로 직접 연 페이지에서는 Worker를 실행하지 않습니다. 웹 서버로 이 폴더를 열어 주세요: 폴더에서 "python3 -m http.server"를 실행한 뒤 http://localhost:8000/ 에 접속하세요 (또는 "wiggle serve"를 실행하세요).'],
  reset: ['⟲ Reset', '⟲ 초기화'],
  play: ['▶ Play', '▶ 학습'],
  pause: ['❚❚ Pause', '❚❚ 멈춤'],
  step: ['Step', '한 에폭'],
  speed: ['Speed', '속도'],
  speedFull: ['full speed', '최대 속도'],
  speed100: ['100 epochs/s', '100 에폭/초'],
  speed30: ['30 epochs/s', '30 에폭/초'],
  speed10: ['10 epochs/s', '10 에폭/초'],
  speed3: ['3 epochs/s', '3 에폭/초'],
  speedTip: ['Epochs a second at most while playing: slow it for a class to watch the regions form', '학습 중 초당 최대 에폭 수: 느리게 하면 영역이 만들어지는 모습을 볼 수 있습니다'],
  newSeed: ['New', '새로'],
  newSeedTip: ['A new seed: other initial weights and another split of the points (Reset repeats the same run)', '새 시드: 다른 초기 가중치와 다른 점 분할 (초기화는 같은 실행을 반복)'],
  epoch: ['Epoch', '에폭'],
  eps: ['Epochs/s', '에폭/초'],
  language: ['Language', '언어'],
  data: ['Data', '데이터'],
  dataset: ['Data set', '데이터셋'],
  noise: ['Noise', '노이즈'],
  classes: ['Classes', '클래스 수'],
  classesFixed: ['This set has its own number of classes (spiral, circles and blobs take a choice)', '이 데이터는 클래스 수가 정해져 있습니다 (spiral, circles, blobs는 고를 수 있습니다)'],
  testPoints: ['Test points', '테스트 데이터'],
  network: ['Network', '신경망'],
  hidden: ['Hidden layers (neurons per layer)', '은닉층 (층마다 뉴런 수)'],
  removeLayer: ['Remove a hidden layer', '은닉층 하나 빼기'],
  addLayer: ['Add a hidden layer', '은닉층 하나 더하기'],
  activation: ['Activation', '활성화 함수'],
  compare: ['Compare with', '비교할 활성화 함수'],
  compareTip: ['Train a twin network that differs only in its activation, from the same initial weights and batch order',
    '활성화 함수만 다른 쌍둥이 신경망을 같은 초기 가중치와 배치 순서로 함께 학습합니다'],
  training: ['Training', '학습'],
  loss: ['Loss', '손실 함수'],
  optimizer: ['Optimizer', '최적화'],
  lr: ['Learning rate', '학습률'],
  batch: ['Batch size', '배치 크기'],
  l2: ['L2', 'L2'],
  l2Tip: ['Adds (λ/2)·ΣW² over the weights: shrinks the large weights most',
    '가중치에 (λ/2)·ΣW²를 더합니다: 큰 가중치를 가장 많이 줄입니다'],
  l1: ['L1', 'L1'],
  l1Tip: ['Adds λ·Σ|W| over the weights: pulls every weight toward 0 by the same step, so the small ones end near 0 and the network thins out',
    '가중치에 λ·Σ|W|를 더합니다: 모든 가중치를 같은 폭으로 0 쪽으로 당겨, 작은 가중치는 0 근처에 머물고 신경망이 성겨집니다'],
  seed: ['Seed', '시드'],
  scale: ['Initial weights ×', '초기 가중치 ×'],
  dropout: ['Dropout', '드롭아웃'],
  trainAcc: ['Train accuracy', '학습 정확도'],
  testAcc: ['Test accuracy', '테스트 정확도'],
  trainLoss: ['Train loss', '학습 손실'],
  testLoss: ['Test loss', '테스트 손실'],
  lossByEpoch: ['Loss by epoch', '에폭별 손실'],
  trainingLine: ['training', '학습'],
  testLine: ['test', '테스트'],
  logEpochs: ['Epochs on a log scale', '에폭 축을 로그 눈금으로'],
  logEpochsTip: ['Epochs 1 to 10 take as much of the chart as 10 to 100 and 100 to 1,000: the first epochs, where most of the loss falls, keep their room as the run goes on',
    '1~10 에폭이 10~100, 100~1,000 에폭과 같은 폭을 차지합니다: 손실이 가장 많이 줄어드는 처음 에폭들이 학습이 길어져도 자리를 지킵니다'],
  pointsLegend: ["Filled marks: training points; outlines: test points; each class has its colour and its shape. Colour strength: the network's confidence.",
    '채워진 표시: 학습 데이터, 테두리만: 테스트 데이터. 클래스마다 색과 모양이 다릅니다. 색이 진할수록 신경망이 더 확신합니다.'],
  pointsLegendValues: ["Dots: training points; squares: test points. Colour: the value, blue above 0, orange below; behind them, the network's prediction on the same scale.",
    '점: 학습 데이터, 사각형: 테스트 데이터. 색: 값 (0보다 크면 파랑, 작으면 주황). 배경은 같은 척도로 그린 신경망의 예측입니다.'],
  pointsLegendCurve: ["Filled dots: training points; rings: test points. The line: the network's prediction.",
    '채워진 점: 학습 데이터, 고리: 테스트 데이터. 선: 신경망의 예측.'],
  theActivation: ['The activation', '활성화 함수'],
  range: ['Range', '치역'],
  zeroCentred: ['Zero-centred', '0 중심'],
  saturates: ['Saturates', '포화'],
  monotonic: ['Monotonic', '단조'],
  flat: ['Gradient is 0', '기울기 0'],
  maxSlope: ["Largest slope, max |f′|", '최대 기울기, max |f′|'],
  learnedSlope: ["learned: the winning piece's weights", '학습됨: 이기는 조각의 가중치'],
  yes: ['yes', '예'],
  no: ['no', '아니요'],
  lesson: ['What the lesson says', '강의 노트의 설명'],
  inside: ['Inside the network', '신경망 내부'],
  insideLegend: ["Each hidden layer: the activation lens — f (solid) and f′ (dashed) on one scale with its 0 line, over the range the layer's pre-activations take, their histogram beneath, the flat parts (f′ below 1% of its largest) shaded pink where saturated and grey where off (f = 0 too) — and each neuron's output over the plane (over x, a curve, for the 1-D set).",
    '은닉층마다 활성화 렌즈: 그 층의 입력(활성화 전 값)이 놓이는 범위에서 f(실선)와 f′(점선)를 0선과 함께 한 척도로, 그 아래 입력의 히스토그램, 기울기가 거의 0인(최대의 1% 미만) 구간은 포화면 분홍, 꺼짐(f도 0)이면 회색 음영. 그리고 평면 위 각 뉴런의 출력(1차원 데이터에서는 x에 대한 곡선).'],
  deadMark: ['dead (0 on every training point)', '죽은 뉴런 (모든 학습 데이터에서 0)'],
  saturatedMark: ['saturated on most points (f′ ≈ 0 where the curve flattens)', '대부분의 데이터에서 포화 (곡선이 평탄해지는 곳에서 f′ ≈ 0)'],
  health: ['Health by layer', '층별 상태'],
  layer: ['Layer', '층'],
  unit: ['unit', '뉴런'],
  units: ['units', '뉴런'],
  dead: ['dead', '죽음'],
  saturated: ['saturated (f′ ≈ 0)', '포화 (f′ ≈ 0)'],
  flatShort: ['saturated on {p} of points', '점의 {p}에서 포화'],
  idlePieces: ['idle pieces', '유휴 조각'],
  idleTip: ['Pieces that win on no training point: no gradient reaches them (a maxout unit does not die; its pieces may)',
    '어떤 학습 점에서도 이기지 못하는 조각: 기울기가 닿지 않습니다 (맥스아웃 유닛은 죽지 않지만 조각은 죽을 수 있습니다)'],
  piece: ['piece', '조각'],
  removeNeuron: ['a neuron fewer', '뉴런 하나 빼기'],
  addNeuron: ['a neuron more', '뉴런 하나 더하기'],
  graphTitle: ['The network', '신경망 구조'],
  graphLegend: ["A column a layer: the inputs, each hidden layer's neurons (each one's output over the plane; over x, a curve, for the 1-D set), the outputs. A line a weight: blue above 0, orange below, thicker and darker as it grows to 1 (or to the largest between the two columns), not drawn under 1% of that (a maxout neuron's line: its piece's largest). Hover a line for its weight; click it to set the weight (keys: Tab to the graph, the arrows choose a line, Enter sets it). Hover a node to see its map in the big plot (on the plane's sets).",
    '층마다 한 열: 입력, 은닉층의 뉴런(평면 위 각 뉴런의 출력, 1차원 데이터에서는 x에 대한 곡선), 출력. 가중치마다 한 선: 0보다 크면 파랑, 작으면 주황, 1(또는 두 열 사이 가장 큰 가중치)에 가까울수록 굵고 진하게, 그 1% 미만은 그리지 않음 (maxout 뉴런의 선: 조각 중 가장 큰 가중치). 선 위에 올리면 가중치가 보이고, 누르면 바꿀 수 있습니다 (키보드: Tab으로 그래프에 가서 방향키로 선을 고르고 Enter로 바꿉니다). 노드 위에 올리면 큰 그림에 그 노드의 출력이 보입니다 (평면 데이터에서).'],
  graphLabel: ['The network: a node a neuron, a line a weight. Arrow keys choose a line; Enter sets its weight',
    '신경망: 뉴런마다 노드, 가중치마다 선. 화살표 키로 선을 고르고 Enter로 가중치를 바꿉니다'],
  graphInputs: ['inputs', '입력'],
  graphInput: ['input', '입력'],
  graphOutput: ['output', '출력'],
  weight: ['weight', '가중치'],
  largestPiece: ['the largest of its pieces; not set by hand', '조각 중 가장 큰 가중치; 직접 바꿀 수 없음'],
  editWeight: ['Weight of the line: Enter sets it, Escape leaves it', '선의 가중치: Enter로 바꾸고 Escape로 그대로 둡니다'],
  weightNotNumber: ['A weight must be a number', '가중치는 숫자여야 합니다'],
  graphOutputs: ['outputs', '출력'],
  showTest: ['Show the test points', '테스트 데이터 보기'],
  discrete: ["Discretise the output: each place's class, not the network's confidence", '출력 이산화: 신경망의 확신도 대신 각 위치의 클래스만'],
  discreteValues: ["Discretise the output: each place's sign alone, not the value", '출력 이산화: 값 대신 각 위치의 부호만'],
  flatTip: ["Saturated: the share of the live neurons' training points where f′ is under 1% of its largest on a part of the curve that flattens. relu below 0 is switched off, not saturated (as wiggle compare and train --probe count it); dead neurons are counted as dead only",
    '포화: 살아 있는 뉴런의 학습 데이터 중 곡선이 평탄해지는 구간에서 f′가 최대의 1% 미만인 비율. relu의 0 아래는 포화가 아니라 꺼짐입니다 (wiggle compare, train --probe와 같은 기준). 죽은 뉴런은 죽음으로만 셉니다'],
  twinDiverged: ['diverged: no bars', '발산: 막대 없음'],
  runDiverged: ['diverged: its figures from before', '발산: 그 전의 수치'],
  gradNorm: ['‖dW‖, epoch mean (log, 6 decades)', '‖dW‖ 에폭 평균 (로그, 6자리)'],
  neuron: ['neuron', '뉴런'],
  saturatedState: ['saturated on most points', '대부분의 점에서 포화'],
  lensLabel: ['the activation f and its slope f′ over the range its pre-activations take, with their histogram', '사전 활성값 범위에서의 활성화 함수 f와 기울기 f′, 그리고 그 히스토그램'],
  incoming: ['incoming weights', '입력 가중치'],
  bias: ['bias', '편향'],
  pressPlay: ['Press play to train.', '학습을 누르세요.'],
  noiseOwnPoints: ['Points of your own have no noise to set: it is a generated set\'s', '직접 만든 데이터에는 설정할 잡음이 없습니다 (생성된 데이터의 설정)'],
  noHiddenLayer: ['A network of no hidden layer has no activation: add a layer first', '은닉층이 없는 신경망에는 활성화 함수가 없습니다: 먼저 층을 추가하세요'],
  linkIgnored: ['Left out of the link, as they are not numbers (the defaults stand): ', '숫자가 아니어서 링크에서 제외했습니다 (기본값 사용): '],
  stoppedChart: ['Diverged in its first epoch: no loss to draw.', '첫 에폭에서 발산했습니다: 그릴 손실이 없습니다.'],
  stoppedNext: ['The run has stopped: change a setting (a lower learning rate) or press Reset to start again.', '학습이 멈췄습니다: 설정을 바꾸거나(더 낮은 학습률) 초기화를 눌러 다시 시작하세요.'],
  footer: ['wiggle trains here on its own Go packages compiled to WebAssembly, in a worker: nothing leaves your browser.',
    'wiggle은 여기서 WebAssembly로 컴파일된 자신의 Go 패키지로 학습합니다. 데이터는 브라우저 밖으로 나가지 않습니다.'],
  engineFailed: ['The engine could not start: ', '엔진을 시작하지 못했습니다: '],
  engineLoading: ['Loading the engine…', '엔진을 불러오는 중…'],
  linkRefused: ["The link's settings could not be used, so the page shows the defaults: ", '링크의 설정을 쓸 수 없어 기본 설정을 보여 줍니다: '],
  settingRefused: ['Not changed; the run stays as it was (press play to go on): ', '바꾸지 않았습니다. 학습 상태는 그대로입니다 (학습을 눌러 이어 가세요): '],
  hiddenWant: ['Hidden layers: want whole numbers of neurons, separated by commas, such as 16,8 (or nothing, for no hidden layer); got ',
    '은닉층: 쉼표로 구분한 뉴런 수(정수)를 입력하세요. 예: 16,8 (은닉층이 없으면 비워 두세요). 입력값: '],
  network_: ['Network', '신경망'],
  uploadCSV: ['Your points (CSV with a header: x, y, label or value)', '직접 만든 데이터 (머리글이 있는 CSV: x, y, 레이블 또는 값)'],
  clickToAdd: ['Click the plot (or move over it with the arrow keys and press Enter) to add a point of class', '그래프를 클릭해(또는 방향키로 옮긴 뒤 Enter) 추가할 점의 클래스'],
  plotLabel: ['Decision regions with the training and test points. On the plane\'s classification sets the arrow keys move a cursor and Enter adds a point of the chosen class there',
    '결정 영역과 학습·테스트 점. 평면 분류 데이터에서는 방향키로 커서를 옮기고 Enter로 고른 클래스의 점을 추가합니다'],
  pointAdded: ['added a point of class', '점 추가, 클래스'],
  plotLabelValues: ['The network\'s predictions over the plane, coloured by value, with the training and test points', '평면 위 신경망의 예측(값에 따른 색)과 학습·테스트 점'],
  plotLabelCurve: ['The network\'s prediction over x, a curve, with the training and test points', 'x에 대한 신경망의 예측 곡선과 학습·테스트 점'],
  healthLabel: ['Per layer: dead and saturated fractions, and the weight gradient\'s norm', '층별 죽은 뉴런과 포화된 뉴런의 비율, 그리고 가중치 기울기의 크기'],
  runGroup: ['Run', '학습 실행'],
  lossChart: ['Training and test loss by epoch', '에폭별 학습·테스트 손실'],
  modelGroup: ['Model file', '모델 파일'],
  settingsPanel: ['Settings', '설정'],
  outputPanel: ['Output', '출력'],
  insidePanel: ['Inside the network', '신경망 내부'],
  twinPlotLabel: ['Decision regions of the network compared', '비교 신경망의 결정 영역'],
  pageTitle: ['wiggle playground — see an activation at work', 'wiggle 놀이터 — 활성화 함수가 하는 일 보기'],
  healthBy: ['Health by layer', '층별 상태'],
  idleShare: ['idle pieces', '쉬는 조각'],
  saturatedShare: ['saturated', '포화'],
  meanGrad: ['mean ‖dW‖', '평균 ‖dW‖'],
  lossSaid: ['Loss by epoch: training {train} at epoch {epoch}, from {first} at epoch 1', '에폭별 손실: {epoch}번째 에폭의 학습 손실 {train}, 1번째 에폭은 {first}'],
  testSaid: ['test {test}', '테스트 {test}'],
  runSaid: ['Epoch {epoch}: training loss {loss}', '{epoch}번째 에폭: 학습 손실 {loss}'],
  inputs: ['Inputs', '입력'],
  sameAct: ['same as all', '전체와 같게'],
  noLens: ['maxout: no single curve to show', 'maxout: 보여줄 하나의 곡선이 없음'],
  pointsLeftOut: ['Points of the link this data cannot take (a class it lacks, or a regression set) were left out:', '이 데이터가 받을 수 없는 링크의 점(없는 클래스, 또는 회귀 데이터)은 뺐습니다:'],
  showMe: ['Show me', '직접 보기'],
  lessonSaturates: ['Sigmoid\'s gradients vanish: six sigmoid layers beside leaky_relu\'s, their first layers\' gradients shrunk by f′ ≤ 1/4 a layer (press Play, then read the health chart)', '시그모이드 기울기 소실: leaky_relu 옆의 시그모이드 6층, 층마다 f′ ≤ 1/4 만큼 앞쪽 층의 기울기가 줄어듦 (학습을 누르고 층별 상태를 보세요)'],
  lessonDies: ['ReLU units die: some start dead on these points, and a learning rate of 0.1 with momentum knocks most of the rest off for good within a few hundred epochs (a few revive first), where leaky_relu\'s live (note the dead share before Play, press Play, then watch the dead marks and the health chart)', 'ReLU 유닛이 죽음: 일부는 이 점들에서 처음부터 죽어 있고, 모멘텀과 학습률 0.1이 수백 에폭 안에 나머지 대부분을 영영 꺼 버리지만(처음엔 몇몇이 되살아남) leaky_relu 유닛은 살아 있음 (학습 전의 죽은 비율을 보고, 학습을 누른 뒤 죽은 표시와 층별 상태를 보세요)'],
  lessonCentred: ['Zero-centred helps: tanh beside sigmoid, from the same weights (press Play, then compare the curves)', '0 중심이 도움: 같은 가중치에서 tanh와 sigmoid 비교 (학습을 누르고 곡선을 비교하세요)'],
  noHidden: ['No hidden layers: the inputs go straight to the outputs, through no activation', '은닉층 없음: 입력이 활성화 함수 없이 바로 출력으로 갑니다'],
  customData: ['your points', '직접 만든 데이터'],
  added: ['points added', '개의 점 추가됨'],
};

// What CS231n's note on activation functions says (in our words), by name.
const LESSON = {
  step: ['The perceptron\'s step: outputs only 0 or 1, and its gradient is 0 everywhere, so backpropagation cannot train the layers below it.',
    '퍼셉트론의 계단 함수: 0 또는 1만 출력하고 기울기가 어디서나 0이라, 역전파로 그 아래 층을 학습할 수 없습니다.'],
  identity: ['Linear: a constant gradient, and linear layers stacked are again one linear function — depth adds nothing.',
    '선형 함수: 기울기가 상수이고, 선형 층을 쌓아도 하나의 선형 함수일 뿐이라 깊이가 의미 없습니다.'],
  sigmoid: ['Squashes to (0, 1). Saturates for large |x|, where its gradient vanishes; its output is not zero-centred, which makes weight gradients all one sign. The note says: never use it in hidden layers.',
    '(0, 1)로 압축합니다. |x|가 크면 포화되어 기울기가 사라지고, 출력이 0 중심이 아니어서 가중치 기울기의 부호가 한쪽으로 쏠립니다. 노트의 결론: 은닉층에는 쓰지 마세요.'],
  tanh: ['A zero-centred sigmoid, tanh(x) = 2σ(2x) − 1. It still saturates, but is preferred over sigmoid.',
    '0 중심 시그모이드, tanh(x) = 2σ(2x) − 1. 여전히 포화되지만 시그모이드보다 낫습니다.'],
  relu: ['max(0, x): no saturation for x > 0, cheap, and SGD converges much faster than with sigmoid or tanh (6× in Krizhevsky et al.). But units can die: with too high a learning rate up to 40% of a network never activates again.',
    'max(0, x): 양수 쪽은 포화되지 않고 계산이 싸며, 시그모이드나 tanh보다 SGD가 훨씬 빨리 수렴합니다 (Krizhevsky 등: 6배). 하지만 학습률이 너무 크면 신경망의 40%까지 뉴런이 죽을 수 있습니다.'],
  leaky_relu: ['A small slope for x < 0 instead of 0, so a unit cannot die; the note reports mixed results.',
    'x < 0에서 0 대신 작은 기울기를 주어 뉴런이 죽지 않게 합니다. 노트에 따르면 효과는 들쭉날쭉합니다.'],
  prelu: ['Leaky ReLU whose negative slope is learned with the other weights.',
    '음수 쪽 기울기를 다른 가중치와 함께 학습하는 Leaky ReLU입니다.'],
  maxout: ['The max of linear pieces: generalises ReLU and Leaky ReLU, never saturates or dies, at the cost of more parameters.',
    '여러 선형 함수의 최댓값: ReLU와 Leaky ReLU를 일반화하며 포화되거나 죽지 않지만, 파라미터가 늘어납니다.'],
};

const I18N = { lang: 'en' };

function t(key) {
  const w = WORDS[key];
  if (!w) return key;
  return I18N.lang === 'ko' ? w[1] : w[0];
}

// PHRASES are the catalogue's words among its properties (act.Info's
// Saturates and FlatWhere); the rest of them is mathematics, the same in
// both languages.
const PHRASES = { 'both sides': '양쪽', nowhere: '없음', everywhere: '어디서나', no: '아니요' };

// phrase is a property of the catalogue in the page's language: a
// phrase of PHRASES, or one that begins with one and names a side off
// ("no (x -> -inf: off)", act.Info.Saturation).
function phrase(s) {
  if (I18N.lang !== 'ko') return s;
  if (PHRASES[s]) return PHRASES[s];
  const [head, rest] = [s.split(' (')[0], s.slice(s.split(' (')[0].length)];
  return (PHRASES[head] || head) + rest.replace(/: off/g, ': 꺼짐');
}

// networkText is the engine's "2-16-16-3: 35 neurons, 371 parameters" in
// the page's language.
function networkText(s) {
  if (I18N.lang !== 'ko') return s;
  return s.replace(/(\d[\d,]*) neurons?, (\d[\d,]*) parameters?/, '뉴런 $1개, 매개변수 $2개');
}

// lesson returns what the note says of an activation, or a sentence built
// from the catalogue's properties for those it does not discuss.
function lessonFor(a) {
  const l = LESSON[a.name];
  if (l) return I18N.lang === 'ko' ? l[1] : l[0];
  const sat = a.saturates.startsWith('no') ? (I18N.lang === 'ko' ? '포화되지 않고' : 'does not saturate')
    : (I18N.lang === 'ko' ? `포화 구간: ${phrase(a.saturates)}` : `saturates on ${a.saturates}`);
  return I18N.lang === 'ko'
    ? `노트에서 다루지 않는 함수입니다. 이 함수는 ${sat}, 치역은 ${a.range}입니다. 렌즈에서 입력이 평평한 구간에 얼마나 놓이는지 보세요.`
    : `Not in the note. It ${sat}, with range ${a.range}: watch in the lens how much of a layer's input lands where it is flat.`;
}

// stoppedText says why the run stopped (the engine's result r) and what
// starts another: in English the engine's own words; in Korean its
// divergence's figures in a sentence of the page's (its other errors, rare
// and technical, stay the engine's).
function stoppedText(r) {
  const d = r.diverged;
  if (I18N.lang !== 'ko' || !d) return r.error.replace(/\.?$/, '. ') + t('stoppedNext');
  const who = r.divergedTwin ? `비교 신경망(${r.divergedTwin})의 ` : '';
  const what = !d.loss ? '가중치가 더 이상 유한한 수가 아닙니다'
    : d.firstLoss ? `손실이 ${d.firstLoss}에서 ${d.loss}(으)로 커졌습니다` : `손실이 ${d.loss}입니다`;
  const reach = d.reach ? ` 점들의 값이 ${Number(d.reach.toPrecision(3))}까지 이르는데, 신경망의 초기 가중치는 -1~1 정도의 값에 맞습니다: 파일의 각 열을 그 열의 가장 큰 값으로 나누어 다시 올려 보세요.` : '';
  return `${who}학습이 ${d.epoch}번째 에폭에서 발산했습니다: ${what}. 학습률을 낮추면(지금 ${d.lr}) 보통 해결됩니다.${reach} ` + t('stoppedNext');
}

function applyLanguage(lang) {
  I18N.lang = lang === 'ko' ? 'ko' : 'en';
  document.documentElement.lang = I18N.lang;
  document.title = t('pageTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
