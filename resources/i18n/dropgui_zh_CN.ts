<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>About dropgui</source>
        <translation>关于 dropgui</translation>
    </message>
    <message>
        <source>dropgui shows exactly what dropout does to the output of an embedding layer, computed by real TensorFlow/Keras layers.</source>
        <translation>dropgui 精确展示随机失活（Dropout）对 Embedding 层输出的作用，结果由真实的 TensorFlow/Keras 层计算得出。</translation>
    </message>
    <message>
        <source>Running on:</source>
        <translation>运行环境：</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
</context>
<context>
    <name>ControlPanel</name>
    <message>
        <source>The seed question: Dropout(0.5) vs SpatialDropout1D(0.5), arange (3, 3, 4)</source>
        <translation>最初的问题：Dropout(0.5) 对比 SpatialDropout1D(0.5)，递增张量 (3, 3, 4)</translation>
    </message>
    <message>
        <source>Model: Embedding(1000, 16), 20 tokens, Dropout(0.2) vs SpatialDropout1D</source>
        <translation>模型：Embedding(1000, 16)，20 个词元，Dropout(0.2) 对比 SpatialDropout1D</translation>
    </message>
    <message>
        <source>Same model, whole tokens: noise_shape=(B, S, 1) vs Dropout</source>
        <translation>同一模型，丢弃整个词元：noise_shape=(B, S, 1) 对比 Dropout</translation>
    </message>
    <message>
        <source>Word dropout (AWD-LSTM), vocab 12, vs Dropout</source>
        <translation>词级丢弃（AWD-LSTM），词表大小 12，对比 Dropout</translation>
    </message>
    <message>
        <source>Presets…</source>
        <translation>预设…</translation>
    </message>
    <message>
        <source>arange 1..B·S·D</source>
        <translation>递增序列 1..B·S·D</translation>
    </message>
    <message>
        <source>Embedding layer</source>
        <translation>Embedding 层</translation>
    </message>
    <message>
        <source>.npy file</source>
        <translation>.npy 文件</translation>
    </message>
    <message>
        <source>Saved Keras model</source>
        <translation>已保存的 Keras 模型</translation>
    </message>
    <message>
        <source>Open .npy…</source>
        <translation>打开 .npy…</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>逐元素</translation>
    </message>
    <message>
        <source>spatial</source>
        <translation>整通道</translation>
    </message>
    <message>
        <source>token</source>
        <translation>整词元</translation>
    </message>
    <message>
        <source>word</source>
        <translation>整词</translation>
    </message>
    <message>
        <source>gaussian</source>
        <translation>乘性高斯噪声</translation>
    </message>
    <message>
        <source>alpha</source>
        <translation>保持 SELU 自归一化</translation>
    </message>
    <message>
        <source>Keras models (*.keras *.h5 *.hdf5)</source>
        <translation>Keras 模型 (*.keras *.h5 *.hdf5)</translation>
    </message>
    <message>
        <source>any mode below, on the embedding output</source>
        <translation>下方任一模式，作用于 Embedding 输出</translation>
    </message>
    <message>
        <source>no dropout layer acts on its Embedding: the mode below is shown on its output</source>
        <translation>没有随机失活层作用于其 Embedding：其输出上显示的是下方选择的模式</translation>
    </message>
    <message>
        <source>text for the model&apos;s TextVectorization; rows split by &apos;;&apos;</source>
        <translation>供模型的 TextVectorization 使用的文本；各行以 &apos;;&apos; 分隔</translation>
    </message>
    <message>
        <source>drawn from the data seed; e.g. 4 8 15; 16 23 42</source>
        <translation>由数据 seed 抽取；例如 4 8 15; 16 23 42</translation>
    </message>
    <message>
        <source>token ids apply to Embedding input only</source>
        <translation>词元 id 仅适用于 Embedding 输入</translation>
    </message>
    <message>
        <source>training=True</source>
        <translation>training=True</translation>
    </message>
    <message>
        <source>training=False (inference)</source>
        <translation>training=False（推理）</translation>
    </message>
    <message>
        <source>Play seeds</source>
        <translation>播放 seed</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>vocab</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>data seed</source>
        <translation>数据 seed</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>seed</translation>
    </message>
    <message>
        <source>draw</source>
        <translation>抽取</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>rate</source>
        <translation>rate</translation>
    </message>
    <message>
        <source>{name}: {keras_layer}</source>
        <translation>{keras_layer}（{name}）</translation>
    </message>
    <message>
        <source>ids split by spaces, rows by &apos;;&apos;; empty: drawn from the data seed</source>
        <translation>id 以空格分隔，各行以 &apos;;&apos; 分隔；留空则由数据 seed 抽取</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>put the drawn ids in the field, to edit them</source>
        <translation>把抽取的 id 填入输入框，以便编辑</translation>
    </message>
    <message>
        <source>the model&apos;s dropout layer whose own configuration is shown</source>
        <translation>模型中的随机失活层，按其自身配置显示</translation>
    </message>
    <message>
        <source>words go through the model&apos;s own TextVectorization; the rows are labelled with them. Empty: token ids (the field above) or ids drawn from the data seed</source>
        <translation>文字经过模型自身的 TextVectorization，各行以这些词标注。留空：使用词元 id（上方输入框）或由数据 seed 抽取的 id</translation>
    </message>
    <message>
        <source>Input tensor</source>
        <translation>输入张量</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Vocab</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Token ids</source>
        <translation>词元 id</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>数据 seed</translation>
    </message>
    <message>
        <source>None = full shape; e.g. None,1,None</source>
        <translation>None = 完整形状；例如 None,1,None</translation>
    </message>
    <message>
        <source>untick for inference: the layer passes its input through</source>
        <translation>取消勾选即为推理：该层原样传递输入</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>随机失活（Dropout）</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Compare with</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>丢弃率</translation>
    </message>
    <message>
        <source>noise_shape</source>
        <translation>noise_shape</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>next call</source>
        <translation>下一次调用</translation>
    </message>
    <message>
        <source>previous seed (Left)</source>
        <translation>上一个 seed（←）</translation>
    </message>
    <message>
        <source>next seed (Right)</source>
        <translation>下一个 seed（→）</translation>
    </message>
    <message>
        <source>next call of the same layer (Up)</source>
        <translation>同一层的下一次调用（↑）</translation>
    </message>
    <message>
        <source>step through seeds on a timer (Space)</source>
        <translation>定时逐个切换 seed（空格键）</translation>
    </message>
    <message>
        <source> steps/s</source>
        <translation> 步/秒</translation>
    </message>
    <message>
        <source>Randomness</source>
        <translation>随机性</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>seed</translation>
    </message>
    <message>
        <source>Draw (call)</source>
        <translation>抽取（调用）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>drawn: {ids}</source>
        <translation>已抽取：{ids}</translation>
    </message>
    <message>
        <source>choose a .npy file with Open .npy…</source>
        <translation>请用“打开 .npy…”选择一个 .npy 文件</translation>
    </message>
    <message>
        <source>choose a model file with Open model…</source>
        <translation>请用“打开模型…”选择一个模型文件</translation>
    </message>
    <message>
        <source>Open a saved Keras model</source>
        <translation>打开已保存的 Keras 模型</translation>
    </message>
    <message>
        <source>Open a (B, S, D) array</source>
        <translation>打开一个 (B, S, D) 数组</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>numpy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>Embedding &apos;{name}&apos; {ids} ids × {dim}</source>
        <translation>Embedding &apos;{name}&apos; {ids} 个 id × {dim}</translation>
    </message>
    <message>
        <source> after &apos;{vectorizer}&apos;</source>
        <translation>，接在 &apos;{vectorizer}&apos; 之后</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (vector)</source>
        <translation>SVG 图像（矢量）</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>GIF animation (a seed or draw range)</source>
        <translation>GIF 动画（一段 seed 或抽取范围）</translation>
    </message>
    <message>
        <source>GIF animation (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <source>PNG sequence (a seed or draw range)</source>
        <translation>PNG 序列（一段 seed 或抽取范围）</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>NPZ arrays (numpy)</source>
        <translation>NPZ 数组（numpy）</translation>
    </message>
    <message>
        <source>numpy arrays (*.npz)</source>
        <translation>numpy 数组 (*.npz)</translation>
    </message>
    <message>
        <source>CSV table (one row per cell)</source>
        <translation>CSV 表格（每个单元一行）</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>slice {index}</source>
        <translation>切片 {index}</translation>
    </message>
    <message>
        <source>slices {first}–{last}</source>
        <translation>切片 {first}–{last}</translation>
    </message>
    <message>
        <source>as shown ({slices})</source>
        <translation>与显示一致（{slices}）</translation>
    </message>
    <message>
        <source>all {batch} slices</source>
        <translation>全部 {batch} 个切片</translation>
    </message>
    <message>
        <source>one slice:</source>
        <translation>单个切片：</translation>
    </message>
    <message>
        <source>seeds</source>
        <translation>逐个 seed</translation>
    </message>
    <message>
        <source>draws of this seed</source>
        <translation>此 seed 的多次抽取</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> 帧</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>切片</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>seeds {start} to {last}  (--seeds {start}:{stop})</source>
        <translation>seed {start} 至 {last}（--seeds {start}:{stop}）</translation>
    </message>
    <message>
        <source>draws {start} to {last}  (--draws {start}:{stop})</source>
        <translation>第 {start} 至 {last} 次抽取（--draws {start}:{stop}）</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>choose a file to export to</source>
        <translation>请选择要导出的文件</translation>
    </message>
    <message>
        <source>the file name must end in {suffix} for this format</source>
        <translation>此格式的文件名必须以 {suffix} 结尾</translation>
    </message>
    <message>
        <source>a seed or draw range needs the window&apos;s compute worker</source>
        <translation>导出一段 seed 或抽取范围需要窗口的计算线程</translation>
    </message>
    <message>
        <source>Drawing {count} frames…</source>
        <translation>正在绘制 {count} 帧…</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>{name} already exists in {folder}. Replace?</source>
        <translation>{folder} 中已存在 {name}。是否替换？</translation>
    </message>
    <message>
        <source>{count} files already exist in {folder}. Replace?</source>
        <translation>{folder} 中已存在 {count} 个文件。是否替换？</translation>
    </message>
    <message>
        <source>Replace?</source>
        <translation>替换？</translation>
    </message>
</context>
<context>
    <name>FrameExport</name>
    <message>
        <source>frame {index} came before frame {expected}</source>
        <translation>第 {index} 帧先于第 {expected} 帧到达</translation>
    </message>
</context>
<context>
    <name>GifEncoder</name>
    <message>
        <source>a GIF needs at least one frame</source>
        <translation>GIF 至少需要一帧</translation>
    </message>
</context>
<context>
    <name>GridArea</name>
    <message>
        <source>hover a cell to read it · wheel: zoom · drag: pan · F: fit</source>
        <translation>悬停在单元上读取数值 · 滚轮：缩放 · 拖动：平移 · F：适应</translation>
    </message>
    <message>
        <source>stale view · </source>
        <translation>过时视图 · </translation>
    </message>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>正在加载 TensorFlow…</translation>
    </message>
    <message>
        <source>slice </source>
        <translation>切片 </translation>
    </message>
    <message>
        <source>the batch slice shown large (PgUp / PgDown)</source>
        <translation>放大显示的批次切片（PgUp / PgDown）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>show whole slices again after zooming (wheel) or panning (drag); F</source>
        <translation>缩放（滚轮）或平移（拖动）后重新显示完整切片；F</translation>
    </message>
    <message>
        <source>Stale view: the grids still show {view}, not the current controls: {reason}</source>
        <translation>过时视图：网格仍显示 {view}，而非当前控件的设置：{reason}</translation>
    </message>
    <message>
        <source>of 0–{last}</source>
        <translation>（共 0–{last}）</translation>
    </message>
</context>
<context>
    <name>GridFigure</name>
    <message>
        <source>{layer} vs {other}</source>
        <translation>{layer} 对比 {other}</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>seed {seed}</translation>
    </message>
    <message>
        <source>draw {draw}</source>
        <translation>第 {draw} 次抽取</translation>
    </message>
    <message>
        <source>inference</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>before (the input)</source>
        <translation>之前（输入）</translation>
    </message>
    <message>
        <source>factors of {layer}</source>
        <translation>{layer} 的因子</translation>
    </message>
    <message>
        <source>centred on 1</source>
        <translation>以 1 为中心</translation>
    </message>
    <message>
        <source>after · {layer}</source>
        <translation>之后 · {layer}</translation>
    </message>
    <message>
        <source>slice {batch} · token · word</source>
        <translation>切片 {batch} · 词元 · 词</translation>
    </message>
    <message>
        <source>slice {batch} · token · id</source>
        <translation>切片 {batch} · 词元 · id</translation>
    </message>
    <message>
        <source>slice {batch} · token</source>
        <translation>切片 {batch} · 词元</translation>
    </message>
    <message>
        <source>dropped: filled and ringed &lt;i&gt;after&lt;/i&gt;, outlined &lt;i&gt;before&lt;/i&gt;</source>
        <translation>丢弃：&lt;i&gt;之后&lt;/i&gt;中填充并加环，&lt;i&gt;之前&lt;/i&gt;中描边</translation>
    </message>
    <message>
        <source>factors: blue &amp;lt; 1 &amp;lt; yellow</source>
        <translation>因子：蓝 &amp;lt; 1 &amp;lt; 黄</translation>
    </message>
    <message>
        <source>whole token, channel or word: one decision</source>
        <translation>整个词元、通道或词：同一个决定</translation>
    </message>
    <message>
        <source>row or column emptied by chance</source>
        <translation>偶然被清空的行或列</translation>
    </message>
    <message>
        <source>bars: dropped per token / channel</source>
        <translation>条形：每个词元 / 通道中被丢弃的数量</translation>
    </message>
    <message>
        <source>noise ×{factor:.4g}</source>
        <translation>噪声 ×{factor:.4g}</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>{mode}: after {after:.4g}, {fate}</source>
        <translation>{mode}：之后 {after:.4g}，{fate}</translation>
    </message>
    <message>
        <source>token {token} ({word!r}, id {id})</source>
        <translation>词元 {token}（{word!r}，id {id}）</translation>
    </message>
    <message>
        <source>token {token} (id {id})</source>
        <translation>词元 {token}（id {id}）</translation>
    </message>
    <message>
        <source>token {token}</source>
        <translation>词元 {token}</translation>
    </message>
    <message>
        <source>{mode}: slice {batch}, {token_text}, channel {channel}: before {before:.4g}, after {after:.4g}, {fate}</source>
        <translation>{mode}：切片 {batch}，{token_text}，通道 {channel}：之前 {before:.4g}，之后 {after:.4g}，{fate}</translation>
    </message>
</context>
<context>
    <name>GridPanel</name>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>dropped&lt;br&gt;of {full}</source>
        <translation>丢弃&lt;br&gt;共 {full}</translation>
    </message>
    <message>
        <source>of {full}</source>
        <translation>共 {full}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>dropgui: what dropout does to an embedding</source>
        <translation>dropgui：随机失活（Dropout）对 Embedding 输出的作用</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>No comparison: {mode} mode does not apply to this input</source>
        <translation>无对比：“{mode}”模式不适用于此输入</translation>
    </message>
    <message>
        <source>Saved settings not shown ({problem}); showing the defaults</source>
        <translation>未显示保存的设置（{problem}）；改为显示默认设置</translation>
    </message>
    <message>
        <source>Not applied: {problem}</source>
        <translation>未应用：{problem}</translation>
    </message>
    <message>
        <source>TensorFlow loading…</source>
        <translation>正在加载 TensorFlow…</translation>
    </message>
    <message>
        <source>TensorFlow {tensorflow} · keras {keras3} · tf-keras {tf_keras}</source>
        <translation>TensorFlow {tensorflow} · Keras {keras3} · tf-keras {tf_keras}</translation>
    </message>
    <message>
        <source>{engine} · computed in {ms:.1f} ms</source>
        <translation>{engine} · 计算用时 {ms:.1f} 毫秒</translation>
    </message>
    <message>
        <source>not drawn: {problem}</source>
        <translation>未能绘制：{problem}</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>尚无可导出的内容</translation>
    </message>
    <message>
        <source>Exported {files}</source>
        <translation>已导出 {files}</translation>
    </message>
    <message>
        <source>Open the Statistics tab first</source>
        <translation>请先打开“统计”标签页</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Not exported: {problem}</source>
        <translation>未导出：{problem}</translation>
    </message>
    <message>
        <source>Grids copied to the clipboard</source>
        <translation>网格已复制到剪贴板</translation>
    </message>
    <message>
        <source>{name} is neither a .npy array nor a Keras model ({suffixes})</source>
        <translation>{name} 既不是 .npy 数组，也不是 Keras 模型（{suffixes}）</translation>
    </message>
    <message>
        <source>Not opened: {problem}</source>
        <translation>未打开：{problem}</translation>
    </message>
    <message>
        <source>Saved settings ignored ({problem}); showing the defaults</source>
        <translation>已忽略保存的设置（{problem}）；改为显示默认设置</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Right</source>
        <translation>→</translation>
    </message>
    <message>
        <source>next seed</source>
        <translation>下一个 seed</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>←</translation>
    </message>
    <message>
        <source>previous seed</source>
        <translation>上一个 seed</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>↑</translation>
    </message>
    <message>
        <source>next call (draw) of the same layer</source>
        <translation>同一层的下一次调用（抽取）</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格键</translation>
    </message>
    <message>
        <source>play / pause stepping through seeds</source>
        <translation>播放 / 暂停逐个切换 seed</translation>
    </message>
    <message>
        <source>next / previous batch slice (when one is shown large)</source>
        <translation>下一个 / 上一个批次切片（放大显示单个切片时）</translation>
    </message>
    <message>
        <source>Wheel / drag</source>
        <translation>滚轮 / 拖动</translation>
    </message>
    <message>
        <source>zoom / pan the grids (all panels follow)</source>
        <translation>缩放 / 平移网格（所有面板同步）</translation>
    </message>
    <message>
        <source>fit: whole slices again</source>
        <translation>适应：重新显示完整切片</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>copy the grids to the clipboard</source>
        <translation>把网格复制到剪贴板</translation>
    </message>
    <message>
        <source>this help</source>
        <translation>本帮助</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open .npy…</source>
        <translation>打开 .npy…</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Copy grids to clipboard</source>
        <translation>复制网格到剪贴板</translation>
    </message>
    <message>
        <source>Export statistics view…</source>
        <translation>导出统计视图…</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认设置</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About dropgui</source>
        <translation>关于 dropgui</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近文件</translation>
    </message>
</context>
<context>
    <name>NumberBox</name>
    <message>
        <source>{name} is empty: type a number</source>
        <translation>{name} 为空：请输入一个数</translation>
    </message>
    <message>
        <source>{name} is empty: type a whole number</source>
        <translation>{name} 为空：请输入一个整数</translation>
    </message>
    <message>
        <source>{name} takes a number; {text!r} is not one</source>
        <translation>{name} 只接受数；{text!r} 不是数</translation>
    </message>
    <message>
        <source>{name} takes a whole number; {text!r} is not one</source>
        <translation>{name} 只接受整数；{text!r} 不是整数</translation>
    </message>
    <message>
        <source>{name} takes at most {decimals} decimals; {text} has more</source>
        <translation>{name} 最多接受 {decimals} 位小数；{text} 超出了</translation>
    </message>
    <message>
        <source>{name} takes a whole number; {text} is not one</source>
        <translation>{name} 只接受整数；{text} 不是整数</translation>
    </message>
    <message>
        <source>{name} takes a number from {low} to {high}; {text} is not</source>
        <translation>{name} 只接受 {low} 到 {high} 之间的数；{text} 不在此范围内</translation>
    </message>
    <message>
        <source>{name} takes a whole number from {low} to {high}; {text} is not</source>
        <translation>{name} 只接受 {low} 到 {high} 之间的整数；{text} 不在此范围内</translation>
    </message>
    <message>
        <source>{refusal} (kept {kept})</source>
        <translation>{refusal}（保留 {kept}）</translation>
    </message>
</context>
<context>
    <name>Overview</name>
    <message>
        <source>all {batch} slices</source>
        <translation>全部 {batch} 个切片</translation>
    </message>
</context>
<context>
    <name>StatsPanel</name>
    <message>
        <source>over draws of this seed</source>
        <translation>按此 seed 的多次抽取</translation>
    </message>
    <message>
        <source>over successive seeds</source>
        <translation>按连续的多个 seed</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>no statistics</source>
        <translation>没有统计结果</translation>
    </message>
    <message>
        <source>not drawn: {problem}</source>
        <translation>未能绘制：{problem}</translation>
    </message>
    <message>
        <source>{method}, {ms:.0f} ms</source>
        <translation>{method}，{ms:.0f} 毫秒</translation>
    </message>
</context>
<context>
    <name>StatsView</name>
    <message>
        <source>slice </source>
        <translation>切片 </translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>kept fraction of a slice</source>
        <translation>切片的保留比例</translation>
    </message>
    <message>
        <source>share of (sample, slice) pairs</source>
        <translation>（样本, 切片）对的占比</translation>
    </message>
    <message>
        <source>kept fraction per slice · bars: observed · line: the law</source>
        <translation>每个切片的保留比例 · 条形：观测值 · 折线：理论分布</translation>
    </message>
    <message>
        <source>{note}.
Kept fraction law: {law}.</source>
        <translation>{note}。
保留比例的分布：{law}。</translation>
    </message>
    <message>
        <source>drop frequency · slice {batch} (rate {rate:g})</source>
        <translation>丢弃频率 · 切片 {batch}（rate {rate:g}）</translation>
    </message>
    <message>
        <source>correlation of cell ({b}, {s}, {d})&apos;s {what} · slice {batch}</source>
        <translation>单元 ({b}, {s}, {d}) 的{what}相关系数 · 切片 {batch}</translation>
    </message>
    <message>
        <source>{note}; E[output] equals the input exactly.</source>
        <translation>{note}；E[输出] 与输入完全相等。</translation>
    </message>
    <message>
        <source>Mean drop frequency {mean:.4f} vs rate {rate:g} ({z:+.1f} se). E[output] within {z_max:.1f} standard errors of {law}&apos;s expectation in every cell; variance added, observed / theory: {ratio:.3f}.</source>
        <translation>平均丢弃频率 {mean:.4f}，rate 为 {rate:g}（偏差 {z:+.1f} 个标准误）。每个单元的 E[输出] 都在{law}期望值的 {z_max:.1f} 个标准误以内；新增方差的观测值 / 理论值：{ratio:.3f}。</translation>
    </message>
</context>
<context>
    <name>TextPanel</name>
    <message>
        <source>Explanation</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Keras code</source>
        <translation>Keras 代码</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>&lt;b&gt;Kept fraction&lt;/b&gt; {kept:.3f} (expected {expected:.3f}) &amp;nbsp; &lt;b&gt;scale&lt;/b&gt; {scale:.4g} &amp;nbsp; &lt;b&gt;mean&lt;/b&gt; before {before:.4g}, after {after:.4g}</source>
        <translation>&lt;b&gt;保留比例&lt;/b&gt; {kept:.3f}（期望 {expected:.3f}）&amp;nbsp; &lt;b&gt;缩放&lt;/b&gt; {scale:.4g} &amp;nbsp; &lt;b&gt;均值&lt;/b&gt; 之前 {before:.4g}，之后 {after:.4g}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Compared:&lt;/b&gt; {explanation}</source>
        <translation>&lt;b&gt;对比：&lt;/b&gt;{explanation}</translation>
    </message>
</context>
</TS>
