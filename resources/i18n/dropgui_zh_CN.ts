<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>dropped: filled &lt;i&gt;after&lt;/i&gt;, outlined &lt;i&gt;before&lt;/i&gt;</source>
        <translation>丢弃：&lt;i&gt;之后&lt;/i&gt;中填充，&lt;i&gt;之前&lt;/i&gt;中描边</translation>
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
        <source>factors: blue &amp;lt; 1 &amp;lt; green</source>
        <translation>因子：蓝 &amp;lt; 1 &amp;lt; 绿</translation>
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
