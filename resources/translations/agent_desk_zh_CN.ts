<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AgentState</name>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>示忙</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>ArticleEditor</name>
    <message>
        <source>Knowledge base articles</source>
        <translation>知识库文章</translation>
    </message>
    <message>
        <source>Article editor</source>
        <translation>文章编辑器</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>All articles</source>
        <translation>全部文章</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>审核中</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Review overdue</source>
        <translation>复核已逾期</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Title contains…</source>
        <translation>标题包含…</translation>
    </message>
    <message>
        <source>Find articles by title</source>
        <translation>按标题查找文章</translation>
    </message>
    <message>
        <source>&amp;New article</source>
        <translation>新建文章(&amp;N)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Article editor notice</source>
        <translation>文章编辑器提示</translation>
    </message>
    <message>
        <source>Article state</source>
        <translation>文章状态</translation>
    </message>
    <message>
        <source>refund, returns, 退款</source>
        <translation>退款, 退货, 物流</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复核期限</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>产品(&amp;P)</translation>
    </message>
    <message>
        <source>Ta&amp;gs</source>
        <translation>标签(&amp;G)</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>复核</translation>
    </message>
    <message>
        <source>Article text (Markdown)</source>
        <translation>文章正文（Markdown）</translation>
    </message>
    <message>
        <source>Start with a one-paragraph answer; details, steps and exceptions below.</source>
        <translation>先用一段话给出答案，再在下方写明细节、步骤和例外情况。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>&amp;Write</source>
        <translation>编辑(&amp;W)</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>&amp;Save draft</source>
        <translation>保存草稿(&amp;S)</translation>
    </message>
    <message>
        <source>Su&amp;bmit for review</source>
        <translation>提交审核(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>驳回(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation>归档(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Mark reviewed</source>
        <translation>标记为已复核(&amp;M)</translation>
    </message>
    <message numerus="yes">
        <source>%n overdue for review</source>
        <translation>
            <numerusform>%n 篇文章复核已逾期</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>This article has changes that are not saved. Discard them?</source>
        <translation>此文章有未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <source>New article — not saved yet</source>
        <translation>新文章 — 尚未保存</translation>
    </message>
    <message>
        <source>New article from conversation %1 — not saved yet</source>
        <translation>来自会话 %1 的新文章 — 尚未保存</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>作者：%1</translation>
    </message>
    <message>
        <source>agents see version %1</source>
        <translation>坐席看到的是第 %1 版</translation>
    </message>
    <message>
        <source>used %1 times, helped %2 times</source>
        <translation>已使用 %1 次，有帮助 %2 次</translation>
    </message>
    <message>
        <source>Returned by the reviewer: %1</source>
        <translation>审核人已退回：%1</translation>
    </message>
    <message>
        <source>Version %1 · %2 · %3</source>
        <translation>第 %1 版 · %2 · %3</translation>
    </message>
    <message>
        <source>Give the article a title.</source>
        <translation>请填写文章标题。</translation>
    </message>
    <message>
        <source>Write the article&apos;s text.</source>
        <translation>请填写文章正文。</translation>
    </message>
    <message>
        <source>Choose the article&apos;s language (en, zh, …).</source>
        <translation>请选择文章语言（en、zh 等）。</translation>
    </message>
    <message>
        <source>The text is too long (at most 300,000 characters).</source>
        <translation>正文过长（最多 300,000 个字符）。</translation>
    </message>
    <message>
        <source>Could not save the article</source>
        <translation>无法保存文章</translation>
    </message>
    <message>
        <source>Could not change the article</source>
        <translation>无法更改文章</translation>
    </message>
    <message>
        <source>Return to the author</source>
        <translation>退回给作者</translation>
    </message>
    <message>
        <source>What should change before it can be published?</source>
        <translation>发布前需要修改哪些内容？</translation>
    </message>
</context>
<context>
    <name>ArticleListModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Review due</source>
        <translation>复核日期</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>v%1 published</source>
        <translation>第 %1 版已发布</translation>
    </message>
    <message>
        <source>Review overdue: check that this article is still right</source>
        <translation>复核已逾期：请检查此文章是否仍然准确</translation>
    </message>
</context>
<context>
    <name>ArticlePreview</name>
    <message>
        <source>Article title</source>
        <translation>文章标题</translation>
    </message>
    <message>
        <source>Article language and tags</source>
        <translation>文章语言和标签</translation>
    </message>
    <message>
        <source>Article preview</source>
        <translation>文章预览</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>Insert the article&apos;s answer into the reply (Enter)</source>
        <translation>将文章的答案插入回复（Enter）</translation>
    </message>
    <message>
        <source>Insert link</source>
        <translation>插入链接</translation>
    </message>
    <message>
        <source>Insert the article&apos;s title and its public address into the reply</source>
        <translation>将文章标题及其公开链接插入回复</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the article&apos;s answer to the clipboard</source>
        <translation>将文章的答案复制到剪贴板</translation>
    </message>
    <message>
        <source>This helped</source>
        <translation>有帮助</translation>
    </message>
    <message>
        <source>Tell the team this article helped the customer</source>
        <translation>告诉团队此文章帮助了客户</translation>
    </message>
</context>
<context>
    <name>ArticleProposal</name>
    <message>
        <source>New article</source>
        <translation>新文章</translation>
    </message>
    <message>
        <source>**Question:** %1</source>
        <translation>**问题：** %1</translation>
    </message>
</context>
<context>
    <name>ArticleState</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>审核中</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
</context>
<context>
    <name>AwayReason</name>
    <message>
        <source>Break</source>
        <translation>小休</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>用餐</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Missed an offer</source>
        <translation>漏接会话</translation>
    </message>
</context>
<context>
    <name>BodyEditor</name>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Bold (Ctrl+B)</source>
        <translation>加粗 (Ctrl+B)</translation>
    </message>
    <message>
        <source>I</source>
        <translation>I</translation>
    </message>
    <message>
        <source>Italic (Ctrl+I)</source>
        <translation>斜体 (Ctrl+I)</translation>
    </message>
    <message>
        <source>• List</source>
        <translation>• 列表</translation>
    </message>
    <message>
        <source>Bulleted list (Ctrl+Shift+L)</source>
        <translation>项目符号列表 (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Link…</source>
        <translation>链接…</translation>
    </message>
    <message>
        <source>Insert a link (Ctrl+K)</source>
        <translation>插入链接 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Links must start with https://, http:// or mailto:.</source>
        <translation>链接必须以 https://、http:// 或 mailto: 开头。</translation>
    </message>
    <message>
        <source>Insert link</source>
        <translation>插入链接</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
</context>
<context>
    <name>CallControls</name>
    <message>
        <source>&amp;Answer</source>
        <translation>接听(&amp;A)</translation>
    </message>
    <message>
        <source>Answer the call</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Answer the call (also Ctrl+Shift+A)</source>
        <translation>接听来电（也可按 Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>&amp;Hold</source>
        <translation>保持(&amp;H)</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Put the caller on hold or take them off hold</source>
        <translation>保持或恢复来电者</translation>
    </message>
    <message>
        <source>&amp;Mute</source>
        <translation>静音(&amp;M)</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Mute or unmute your microphone</source>
        <translation>静音或取消静音您的麦克风</translation>
    </message>
    <message>
        <source>&amp;Keypad…</source>
        <translation>拨号键盘(&amp;K)…</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>拨号键盘</translation>
    </message>
    <message>
        <source>Send touch-tone digits</source>
        <translation>发送按键音数字</translation>
    </message>
    <message>
        <source>Hang &amp;up</source>
        <translation>挂断(&amp;U)</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>End the call</source>
        <translation>结束通话</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>转接(&amp;T)…</translation>
    </message>
    <message>
        <source>Blind transfer</source>
        <translation>直接转接</translation>
    </message>
    <message>
        <source>Hand the call to another agent or queue now</source>
        <translation>立即将通话转给其他坐席或队列</translation>
    </message>
    <message>
        <source>&amp;Consult…</source>
        <translation>咨询(&amp;C)…</translation>
    </message>
    <message>
        <source>Consult (warm transfer)</source>
        <translation>咨询（咨询转接）</translation>
    </message>
    <message>
        <source>Talk to a colleague first, then transfer</source>
        <translation>先与同事沟通，再转接</translation>
    </message>
    <message>
        <source>Call&amp;back…</source>
        <translation>回拨(&amp;B)…</translation>
    </message>
    <message>
        <source>Request a callback</source>
        <translation>申请回拨</translation>
    </message>
    <message>
        <source>Queue a callback for the caller</source>
        <translation>为来电者排队回拨</translation>
    </message>
    <message>
        <source>&amp;Escalate…</source>
        <translation>升级(&amp;E)…</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Send the call to a team lead or another queue</source>
        <translation>将通话发送给组长或其他队列</translation>
    </message>
    <message>
        <source>Com&amp;plete transfer</source>
        <translation>完成转接(&amp;P)</translation>
    </message>
    <message>
        <source>Complete the transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>Hand the caller to the colleague and leave</source>
        <translation>将来电者交给同事并退出</translation>
    </message>
    <message>
        <source>Con&amp;ference</source>
        <translation>三方通话(&amp;F)</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>三方通话</translation>
    </message>
    <message>
        <source>Talk together: caller, colleague and you</source>
        <translation>三方一起通话：来电者、同事和您</translation>
    </message>
    <message>
        <source>&amp;Return to caller</source>
        <translation>返回来电者(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel the consultation</source>
        <translation>取消咨询</translation>
    </message>
    <message>
        <source>End the consultation and go back to the caller</source>
        <translation>结束咨询并返回来电者</translation>
    </message>
    <message>
        <source>Consultation</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>恢复(&amp;U)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Un&amp;mute</source>
        <translation>取消静音(&amp;M)</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>All three of you are talking.</source>
        <translation>三方正在通话。</translation>
    </message>
    <message>
        <source>The caller hears hold music while you talk.</source>
        <translation>您通话期间，来电者会听到保持音乐。</translation>
    </message>
</context>
<context>
    <name>CallInfo</name>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Callback waiting for its time window</source>
        <translation>回拨等待其时间段</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <source>Consulting %1…</source>
        <translation>正在咨询 %1…</translation>
    </message>
    <message>
        <source>Conference with %1</source>
        <translation>与 %1 三方通话</translation>
    </message>
    <message>
        <source>Call ended — wrap-up</source>
        <translation>通话结束 — 话后处理</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>通话结束</translation>
    </message>
    <message>
        <source>The caller hung up before the call was answered</source>
        <translation>来电者在接听前挂断</translation>
    </message>
    <message>
        <source>%1 · muted</source>
        <translation>%1 · 已静音</translation>
    </message>
    <message>
        <source>Caller number</source>
        <translation>主叫号码</translation>
    </message>
    <message>
        <source>Call time</source>
        <translation>通话时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Customer tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Hold time</source>
        <translation>保持时长</translation>
    </message>
    <message>
        <source>Call state</source>
        <translation>通话状态</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>ENTERED IN THE IVR</source>
        <translation>IVR 输入信息</translation>
    </message>
    <message>
        <source>CALL LOG</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>Call log</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation>未知号码</translation>
    </message>
    <message>
        <source>%1 · %2 · queue %3</source>
        <translation>%1 · %2 · 队列 %3</translation>
    </message>
    <message>
        <source>%1 — %2 has this call (read only)</source>
        <translation>%1 — %2 正在处理此通话（只读）</translation>
    </message>
    <message>
        <source>Callback requested for %1. Number to dial: %2</source>
        <translation>已为 %1 申请回拨。拨打号码：%2</translation>
    </message>
    <message>
        <source>On hold %1 · total %2</source>
        <translation>保持中 %1 · 共 %2</translation>
    </message>
    <message>
        <source>Hold total %1</source>
        <translation>保持总时长 %1</translation>
    </message>
    <message>
        <source>Note by %1: %2</source>
        <translation>%1 的备注：%2</translation>
    </message>
</context>
<context>
    <name>CallNotes</name>
    <message>
        <source>Call &amp;notes</source>
        <translation>通话备注(&amp;N)</translation>
    </message>
    <message>
        <source>Notes saving status</source>
        <translation>备注保存状态</translation>
    </message>
    <message>
        <source>Call notes</source>
        <translation>通话备注</translation>
    </message>
    <message>
        <source>Notes while you talk: kept on this computer and offered for the wrap-up.</source>
        <translation>通话时记录备注：保存在本机，并在话后处理时提供。</translation>
    </message>
    <message>
        <source>Restored from this computer</source>
        <translation>已从本机恢复</translation>
    </message>
    <message>
        <source>Not kept on this computer</source>
        <translation>未保存在本机</translation>
    </message>
    <message>
        <source>Saved on this computer</source>
        <translation>已保存在本机</translation>
    </message>
    <message>
        <source>Could not save the notes locally; keep this tab open.</source>
        <translation>无法在本地保存备注；请勿关闭此标签页。</translation>
    </message>
</context>
<context>
    <name>CallbackDialog</name>
    <message>
        <source>Request a callback</source>
        <translation>申请回拨</translation>
    </message>
    <message>
        <source>The caller is called back on this number within the window; the call is queued for the team like any other.</source>
        <translation>将在时间段内拨打此号码回拨来电者；该呼叫会像其他呼叫一样进入团队队列。</translation>
    </message>
    <message>
        <source>Number to call back</source>
        <translation>回拨号码</translation>
    </message>
    <message>
        <source>Call back from</source>
        <translation>回拨开始时间</translation>
    </message>
    <message>
        <source>Call back until</source>
        <translation>回拨截止时间</translation>
    </message>
    <message>
        <source>Note for the callback</source>
        <translation>回拨备注</translation>
    </message>
    <message>
        <source>e.g. prefers the afternoon</source>
        <translation>例如：希望下午联系</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>号码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>开始(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Until:</source>
        <translation>截止(&amp;U)：</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Request callback</source>
        <translation>申请回拨(&amp;R)</translation>
    </message>
    <message>
        <source>Request the callback</source>
        <translation>申请回拨</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The number may contain only digits, a leading + and spaces, dashes or brackets.</source>
        <translation>号码只能包含数字、开头的 + 以及空格、短横线或括号。</translation>
    </message>
    <message>
        <source>The number needs 3 to 15 digits.</source>
        <translation>号码需为 3 到 15 位数字。</translation>
    </message>
    <message>
        <source>The window must end after it starts.</source>
        <translation>时间段的结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>The window must be at least %1 minutes long.</source>
        <translation>时间段至少须为 %1 分钟。</translation>
    </message>
    <message>
        <source>The window is in the past or ends too soon.</source>
        <translation>时间段已过去或结束得太早。</translation>
    </message>
    <message>
        <source>The window must start within %1 days.</source>
        <translation>时间段必须在 %1 天内开始。</translation>
    </message>
    <message>
        <source>Check the number and the window.</source>
        <translation>请检查号码和时间段。</translation>
    </message>
    <message>
        <source>The callback was not requested (see the status bar). Change it or try again.</source>
        <translation>未能申请回拨（见状态栏）。请修改后重试。</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
</context>
<context>
    <name>ChatComposer</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Internal &amp;note</source>
        <translation>内部备注(&amp;N)</translation>
    </message>
    <message>
        <source>Internal note (only agents see it)</source>
        <translation>内部备注（仅坐席可见）</translation>
    </message>
    <message>
        <source>Only agents see internal notes; the customer does not.</source>
        <translation>内部备注仅坐席可见，客户看不到。</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Write an internal note — only agents see it</source>
        <translation>写内部备注 — 仅坐席可见</translation>
    </message>
    <message>
        <source>Write a message — Enter sends, Shift+Enter for a new line</source>
        <translation>输入消息 — Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Add &amp;note</source>
        <translation>添加备注(&amp;N)</translation>
    </message>
    <message>
        <source>Add the internal note</source>
        <translation>添加内部备注</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
</context>
<context>
    <name>ChatTranscript</name>
    <message>
        <source>Internal note · %1</source>
        <translation>内部备注 · %1</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>已读</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Chat with %1</source>
        <translation>与 %1 聊天</translation>
    </message>
    <message>
        <source>Loading the conversation…</source>
        <translation>正在加载会话…</translation>
    </message>
    <message>
        <source>Conversation status</source>
        <translation>会话状态</translation>
    </message>
    <message>
        <source>Customer typing</source>
        <translation>客户正在输入</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>转接(&amp;T)…</translation>
    </message>
    <message>
        <source>Transfer the chat</source>
        <translation>转接聊天</translation>
    </message>
    <message>
        <source>Esca&amp;late…</source>
        <translation>升级(&amp;L)…</translation>
    </message>
    <message>
        <source>Escalate the chat</source>
        <translation>升级聊天</translation>
    </message>
    <message>
        <source>&amp;End chat</source>
        <translation>结束聊天(&amp;E)</translation>
    </message>
    <message>
        <source>End the chat</source>
        <translation>结束聊天</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>This chat is no longer in your queue. What you typed is kept.</source>
        <translation>此聊天已不在您的队列中。您输入的内容已保留。</translation>
    </message>
    <message>
        <source>The chat is closed.</source>
        <translation>聊天已关闭。</translation>
    </message>
    <message>
        <source>Offline — the conversation will load when the connection returns.</source>
        <translation>离线 — 连接恢复后将加载会话。</translation>
    </message>
    <message>
        <source>The customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 正在输入…</translation>
    </message>
    <message>
        <source>The message is too long (at most %1 characters); nothing was sent.</source>
        <translation>消息过长（最多 %1 个字符）；未发送任何内容。</translation>
    </message>
    <message>
        <source>Could not add the note</source>
        <translation>无法添加备注</translation>
    </message>
    <message>
        <source>Could not send the message</source>
        <translation>无法发送消息</translation>
    </message>
    <message>
        <source>Could not transfer the chat</source>
        <translation>无法转接聊天</translation>
    </message>
    <message>
        <source>Could not escalate the chat</source>
        <translation>无法升级聊天</translation>
    </message>
    <message>
        <source>Could not end the chat</source>
        <translation>无法结束聊天</translation>
    </message>
</context>
<context>
    <name>ClientApp</name>
    <message>
        <source>Agent Desk</source>
        <translation>坐席工作台</translation>
    </message>
    <message>
        <source>Agent Desk stopped unexpectedly last time; a report was saved next to the log file.</source>
        <translation>坐席工作台上次意外退出，报告已保存在日志文件所在的文件夹中。</translation>
    </message>
    <message>
        <source>Starting the demo server…</source>
        <translation>正在启动演示服务器…</translation>
    </message>
</context>
<context>
    <name>CollisionBar</name>
    <message>
        <source>Lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Trainer</source>
        <translation>培训师</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Who else has this open</source>
        <translation>还有谁打开了此会话</translation>
    </message>
    <message>
        <source>Others in this interaction</source>
        <translation>此互动中的其他人</translation>
    </message>
    <message>
        <source>Who can reply</source>
        <translation>谁可以回复</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 正在输入…</translation>
    </message>
    <message>
        <source>%1 is viewing</source>
        <translation>%1 正在查看</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>Only the assigned agent can reply; you can add internal notes.</source>
        <translation>仅分配的坐席可以回复；您可以添加内部备注。</translation>
    </message>
    <message>
        <source>Only %1 can reply; you can add internal notes.</source>
        <translation>仅 %1 可以回复；您可以添加内部备注。</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Cannot open the local action store. Check the disk and try again.</source>
        <translation>无法打开本地操作存储，请检查磁盘后重试。</translation>
    </message>
    <message>
        <source>Cannot open the local action store. Check the disk and sign in again.</source>
        <translation>无法打开本地操作存储，请检查磁盘后重新登录。</translation>
    </message>
    <message>
        <source>Your sign-in is no longer valid. Please sign in again.</source>
        <translation>您的登录已失效，请重新登录。</translation>
    </message>
    <message>
        <source>Remembered on this computer</source>
        <translation>已在此电脑上记住登录</translation>
    </message>
    <message>
        <source>Remembered for this session only</source>
        <translation>仅在本次运行期间记住登录</translation>
    </message>
    <message>
        <source>Could not accept</source>
        <translation>无法接受</translation>
    </message>
    <message>
        <source>Could not decline</source>
        <translation>无法拒绝</translation>
    </message>
    <message>
        <source>Could not change your state</source>
        <translation>无法更改状态</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>未登录。</translation>
    </message>
    <message>
        <source>the action could not be saved locally (disk full or read-only?).</source>
        <translation>操作无法保存到本地（磁盘已满或为只读？）。</translation>
    </message>
    <message>
        <source>Saved; it will be sent when the connection returns.</source>
        <translation>已保存，连接恢复后将自动发送。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed sign-ins. Try again in %n second(s).</source>
        <translation>
            <numerusform>登录失败次数过多，请 %n 秒后重试。</numerusform>
        </translation>
    </message>
    <message>
        <source>This account is disabled. Ask your team lead.</source>
        <translation>此账号已停用，请联系您的班组长。</translation>
    </message>
    <message>
        <source>This version of Agent Desk is too old for the server. Please update.</source>
        <translation>当前版本的坐席工作台过旧，服务器已不支持，请更新。</translation>
    </message>
    <message>
        <source>A secure connection could not be made (the server&apos;s certificate is not trusted or TLS failed), so Agent Desk did not connect. Check the address or ask your administrator.</source>
        <translation>无法建立安全连接（服务器证书不受信任或 TLS 握手失败），坐席工作台因此未连接。请检查服务器地址或联系管理员。</translation>
    </message>
    <message>
        <source>The server address is not valid (for example wss://desk.example.com or 127.0.0.1:8765).</source>
        <translation>服务器地址无效（示例：wss://desk.example.com 或 127.0.0.1:8765）。</translation>
    </message>
    <message>
        <source>Cannot reach the server. Check the address and your network.</source>
        <translation>无法连接服务器，请检查地址和网络。</translation>
    </message>
    <message>
        <source>The server refused the sign-in (%1).</source>
        <translation>服务器拒绝了登录（%1）。</translation>
    </message>
    <message>
        <source>it is no longer possible (the interaction changed meanwhile).</source>
        <translation>会话状态已变化，此操作已无法执行。</translation>
    </message>
    <message>
        <source>you are not allowed to do that.</source>
        <translation>您无权执行此操作。</translation>
    </message>
    <message>
        <source>it no longer exists.</source>
        <translation>目标已不存在。</translation>
    </message>
    <message>
        <source>the server did not accept the request.</source>
        <translation>服务器未接受该请求。</translation>
    </message>
    <message>
        <source>the server had a problem; nothing was changed. Try again.</source>
        <translation>服务器出现问题，未做任何更改，请重试。</translation>
    </message>
    <message>
        <source>the chosen agent or queue cannot take it now (offline, away or full). Choose another.</source>
        <translation>所选坐席或队列现在无法接收（离线、离开或已满）。请另选一个。</translation>
    </message>
    <message>
        <source>it is over a size limit (for example attachments).</source>
        <translation>超过了大小限制（例如附件）。</translation>
    </message>
    <message>
        <source>refused by the server (%1).</source>
        <translation>被服务器拒绝（%1）。</translation>
    </message>
</context>
<context>
    <name>ControllerQueries</name>
    <message>
        <source>Offline — customer history is not available right now.</source>
        <translation>离线 — 暂时无法查看客户历史。</translation>
    </message>
    <message>
        <source>Offline — this conversation is not available right now.</source>
        <translation>离线 — 此会话当前不可用。</translation>
    </message>
    <message>
        <source>Offline — not available right now.</source>
        <translation>离线 — 暂时无法获取。</translation>
    </message>
    <message>
        <source>The server sent a record this version cannot read.</source>
        <translation>服务器发送的记录无法被此版本读取。</translation>
    </message>
</context>
<context>
    <name>ConversationShortcuts</name>
    <message>
        <source>Call: hold / resume</source>
        <translation>通话：保持 / 恢复</translation>
    </message>
    <message>
        <source>Call: mute / unmute</source>
        <translation>通话：静音 / 取消静音</translation>
    </message>
    <message>
        <source>Call: keypad (DTMF)</source>
        <translation>通话：拨号键盘 (DTMF)</translation>
    </message>
    <message>
        <source>Call: consult (warm transfer)</source>
        <translation>通话：咨询（咨询转接）</translation>
    </message>
    <message>
        <source>Call: complete the transfer</source>
        <translation>通话：完成转接</translation>
    </message>
    <message>
        <source>Call: conference / email: forward</source>
        <translation>通话：三方通话 / 邮件：转发</translation>
    </message>
    <message>
        <source>Call: back to the caller / email: reply all</source>
        <translation>通话：返回来电者 / 邮件：全部回复</translation>
    </message>
    <message>
        <source>Call: request a callback</source>
        <translation>通话：申请回拨</translation>
    </message>
    <message>
        <source>Email: reply</source>
        <translation>邮件：回复</translation>
    </message>
    <message>
        <source>Email: internal note</source>
        <translation>邮件：内部备注</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Hang up / close the email / end the chat</source>
        <translation>挂断 / 关闭邮件 / 结束聊天</translation>
    </message>
    <message>
        <source>Chat: send (Shift+Enter: new line)</source>
        <translation>聊天：发送（Shift+Enter：换行）</translation>
    </message>
    <message>
        <source>Email: send / wrap-up: done</source>
        <translation>邮件：发送 / 话后处理：完成</translation>
    </message>
    <message>
        <source>In a reply: #shortcut then Tab or Space expands that template (Ctrl+Z: undo)</source>
        <translation>在回复中：输入 #快捷词 后按 Tab 或空格，展开对应模板（Ctrl+Z 撤销）</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>Agent Desk</source>
        <translation>坐席工作台</translation>
    </message>
    <message>
        <source>Something went wrong, but Agent Desk is still running and your work is safe.

If something looks wrong, restart Agent Desk. The details were written to the log file:
%1</source>
        <translation>出现了一个问题，但坐席工作台仍在运行，您的工作不会丢失。

如果界面显示异常，请重启坐席工作台。详细信息已写入日志文件：
%1</translation>
    </message>
    <message>
        <source>Problem report</source>
        <translation>问题报告</translation>
    </message>
</context>
<context>
    <name>CustomerLinkDialog</name>
    <message>
        <source>Who is the customer?</source>
        <translation>客户是谁？</translation>
    </message>
    <message>
        <source>Link the customer</source>
        <translation>关联客户</translation>
    </message>
    <message>
        <source>Find the customer this conversation is with and link it, or create a new customer.</source>
        <translation>查找此会话对应的客户并关联，或新建客户。</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Name, phone, email or chat id</source>
        <translation>姓名、电话、邮箱或聊天 ID</translation>
    </message>
    <message>
        <source>Search customers</source>
        <translation>搜索客户</translation>
    </message>
    <message>
        <source>Matching customers</source>
        <translation>匹配的客户</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>搜索状态</translation>
    </message>
    <message>
        <source>&amp;Link this customer</source>
        <translation>关联此客户(&amp;L)</translation>
    </message>
    <message>
        <source>Link the selected customer</source>
        <translation>关联所选客户</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Suggested: customers who may be the one.</source>
        <translation>建议：可能是该客户的人选。</translation>
    </message>
    <message>
        <source>Or create a new customer</source>
        <translation>或新建客户</translation>
    </message>
    <message>
        <source>New customer&apos;s name</source>
        <translation>新客户姓名</translation>
    </message>
    <message>
        <source>New customer&apos;s language</source>
        <translation>新客户语言</translation>
    </message>
    <message>
        <source>New customer&apos;s tier</source>
        <translation>新客户等级</translation>
    </message>
    <message>
        <source>New customer&apos;s notes</source>
        <translation>新客户备注</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>语言(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>等级(&amp;T)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>C&amp;reate and link</source>
        <translation>创建并关联(&amp;R)</translation>
    </message>
    <message>
        <source>Create the customer and link it</source>
        <translation>创建客户并关联</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>The server sent a result this version cannot read.</source>
        <translation>服务器返回的结果无法被此版本读取。</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found.</source>
        <translation>
            <numerusform>找到 %n 位客户。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not link the customer</source>
        <translation>无法关联客户</translation>
    </message>
    <message>
        <source>Could not create the customer</source>
        <translation>无法创建客户</translation>
    </message>
    <message>
        <source>It did not go through.</source>
        <translation>操作未成功。</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>CUSTOMER</source>
        <translation>客户信息</translation>
    </message>
    <message>
        <source>Customer panel message</source>
        <translation>客户面板提示</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Load the customer again</source>
        <translation>重新加载客户信息</translation>
    </message>
    <message>
        <source>Open an interaction to see its customer here.</source>
        <translation>打开一个会话，即可在此查看客户信息。</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户姓名</translation>
    </message>
    <message>
        <source>Customer tier</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <source>Offline notice</source>
        <translation>离线提示</translation>
    </message>
    <message>
        <source>&amp;Link customer…</source>
        <translation>关联客户(&amp;L)…</translation>
    </message>
    <message>
        <source>Link this interaction to another customer</source>
        <translation>将此互动关联到其他客户</translation>
    </message>
    <message>
        <source>E&amp;scalate…</source>
        <translation>升级(&amp;S)…</translation>
    </message>
    <message>
        <source>Escalate the interaction</source>
        <translation>升级此互动</translation>
    </message>
    <message>
        <source>Send it to a team lead or another queue with a reason</source>
        <translation>附上原因，转给组长或其他队列</translation>
    </message>
    <message>
        <source>Past interactions (the %1 most recent of %2)</source>
        <translation>历史会话（共 %2 个，显示最近 %1 个）</translation>
    </message>
    <message>
        <source>CSAT %1/5</source>
        <translation>满意度 %1/5</translation>
    </message>
    <message>
        <source>NPS %1/10</source>
        <translation>NPS %1/10</translation>
    </message>
    <message>
        <source>CES %1/7</source>
        <translation>CES %1/7</translation>
    </message>
    <message>
        <source>%1 — first reply within %2 for %3, resolved within %4</source>
        <translation>%1 — %3：%2 内首次回复，%4 内解决</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not link the customer</source>
        <translation>无法关联客户</translation>
    </message>
    <message>
        <source>Could not escalate</source>
        <translation>无法升级</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1 的资料…</translation>
    </message>
    <message>
        <source>The customer could not be loaded.</source>
        <translation>无法加载客户信息。</translation>
    </message>
    <message>
        <source>Offline — showing history from %1</source>
        <translation>离线 — 显示 %1 时的历史记录</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 %4</source>
        <translation>%1 · %2 · %3 %4</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>另有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Last survey</source>
        <translation>最近调查</translation>
    </message>
    <message>
        <source>Past interactions (%1)</source>
        <translation>历史会话（%1）</translation>
    </message>
</context>
<context>
    <name>CustomerTimeline</name>
    <message>
        <source>Past interactions</source>
        <translation>历史互动</translation>
    </message>
    <message>
        <source>Press Enter to read the conversation.</source>
        <translation>按 Enter 查看会话。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Handled by %1</source>
        <translation>由 %1 处理</translation>
    </message>
    <message>
        <source>%1, resolved on first contact</source>
        <translation>%1，首次联系即解决</translation>
    </message>
    <message>
        <source>Satisfaction (CSAT) %1 of 5</source>
        <translation>满意度 (CSAT) %1 / 5</translation>
    </message>
    <message>
        <source>NPS %1 of 10</source>
        <translation>NPS %1 / 10</translation>
    </message>
    <message>
        <source>Effort (CES) %1 of 7</source>
        <translation>费力度 (CES) %1 / 7</translation>
    </message>
</context>
<context>
    <name>Disposition</name>
    <message>
        <source>Abandoned</source>
        <translation>客户已放弃</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Refund issued</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>Replacement sent</source>
        <translation>已补发</translation>
    </message>
    <message>
        <source>Information provided</source>
        <translation>已提供信息</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Callback scheduled</source>
        <translation>已预约回电</translation>
    </message>
    <message>
        <source>No response from customer</source>
        <translation>客户未回复</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>垃圾信息</translation>
    </message>
    <message>
        <source>Complaint logged</source>
        <translation>已登记投诉</translation>
    </message>
</context>
<context>
    <name>DtmfPad</name>
    <message>
        <source>Keypad</source>
        <translation>拨号键盘</translation>
    </message>
    <message>
        <source>Digits to send</source>
        <translation>要发送的数字</translation>
    </message>
    <message>
        <source>Type or press the keys</source>
        <translation>输入或按键</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>按键 %1</translation>
    </message>
    <message>
        <source>Keypad message</source>
        <translation>拨号键盘消息</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>Clear the digits</source>
        <translation>清除数字</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Send the digits</source>
        <translation>发送数字</translation>
    </message>
    <message>
        <source>Send the digits (Enter)</source>
        <translation>发送数字 (Enter)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the keypad</source>
        <translation>关闭拨号键盘</translation>
    </message>
    <message numerus="yes">
        <source>%n digit(s) sent.</source>
        <translation>
            <numerusform>已发送 %n 位数字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Type or press the digits to send first.</source>
        <translation>请先输入或按下要发送的数字。</translation>
    </message>
    <message numerus="yes">
        <source>At most %n digits at once.</source>
        <translation>
            <numerusform>一次最多 %n 位数字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Only 0–9, *, # and A–D can be sent.</source>
        <translation>只能发送 0–9、*、# 和 A–D。</translation>
    </message>
</context>
<context>
    <name>EditorCommands</name>
    <message>
        <source>Offline: saved on this computer and sent when the server is back.</source>
        <translation>离线：已保存在本机，服务器恢复后将发送。</translation>
    </message>
    <message>
        <source>Could not keep the change on this computer; your text is still here.</source>
        <translation>无法在本机保存此更改；您输入的内容仍保留在此。</translation>
    </message>
</context>
<context>
    <name>EmailComposer</name>
    <message>
        <source>Email composer</source>
        <translation>邮件编辑器</translation>
    </message>
    <message>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>抄送</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>收件人(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Cc:</source>
        <translation>抄送(&amp;C)：</translation>
    </message>
    <message>
        <source>Su&amp;bject:</source>
        <translation>主题(&amp;B)：</translation>
    </message>
    <message>
        <source>Si&amp;gnature…</source>
        <translation>签名(&amp;G)…</translation>
    </message>
    <message>
        <source>Edit your signature</source>
        <translation>编辑您的签名</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>添加附件(&amp;A)…</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件文件</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Remove the selected attachment</source>
        <translation>移除所选附件</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>上传进度</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Draft status</source>
        <translation>草稿状态</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>Discard the draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Send the email</source>
        <translation>发送邮件</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Draft saved</source>
        <translation>草稿已保存</translation>
    </message>
    <message>
        <source>The draft could not be saved on this computer.</source>
        <translation>无法在本机保存草稿。</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Reply to all</source>
        <translation>全部回复</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>Recipient addresses, separated by commas</source>
        <translation>收件人地址，以逗号分隔</translation>
    </message>
    <message>
        <source>The customer&apos;s address</source>
        <translation>客户的地址</translation>
    </message>
    <message>
        <source>Not a valid address: %1 (use name@example.com)</source>
        <translation>无效地址：%1（请使用 name@example.com 格式）</translation>
    </message>
    <message>
        <source>A forward needs at least one recipient in To.</source>
        <translation>转发至少需要一个收件人。</translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <source>The subject cannot contain line breaks.</source>
        <translation>主题不能包含换行。</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Your signature (added to new replies):</source>
        <translation>您的签名（添加到新回复中）：</translation>
    </message>
    <message>
        <source>%1 cannot be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>%1 (%2) was not attached: attachments may total at most %3.</source>
        <translation>%1（%2）未添加：附件总大小不能超过 %3。</translation>
    </message>
    <message>
        <source>Could not upload %1</source>
        <translation>无法上传 %1</translation>
    </message>
    <message>
        <source>%1 could not be uploaded; nothing was sent and your draft is kept.</source>
        <translation>无法上传 %1；未发送任何内容，草稿已保留。</translation>
    </message>
    <message>
        <source>Could not send the email</source>
        <translation>无法发送邮件</translation>
    </message>
    <message>
        <source>The email was not sent; your draft is kept.</source>
        <translation>邮件未发送；草稿已保留。</translation>
    </message>
    <message>
        <source>Not sent yet: it goes out when the connection returns. Your draft is kept until then.</source>
        <translation>尚未发送：将在连接恢复后发出。在此之前草稿会保留。</translation>
    </message>
</context>
<context>
    <name>EmailMessageWidget</name>
    <message>
        <source>Message from %1</source>
        <translation>来自 %1 的消息</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>收件人：</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>抄送：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>附件 (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>This large message is shown without its table layout so that it opens quickly; all of its text is here.</source>
        <translation>这封大邮件以不含表格布局的方式显示，以便快速打开；其全部文字都在这里。</translation>
    </message>
    <message>
        <source>Show original layout</source>
        <translation>显示原始布局</translation>
    </message>
    <message>
        <source>Lay the message out as it was sent (this can take a few seconds)</source>
        <translation>按发送时的样式排版此邮件（可能需要几秒钟）</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save %1 to a file</source>
        <translation>将 %1 保存为文件</translation>
    </message>
    <message>
        <source>Save the file to a place you choose (it is not opened)</source>
        <translation>将文件保存到您选择的位置（不会打开）</translation>
    </message>
</context>
<context>
    <name>EmailThread</name>
    <message>
        <source>Email thread</source>
        <translation>邮件会话</translation>
    </message>
    <message>
        <source>Loading the thread…</source>
        <translation>正在加载邮件会话…</translation>
    </message>
</context>
<context>
    <name>EmailView</name>
    <message>
        <source>Email conversation</source>
        <translation>邮件会话</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>回复(&amp;R)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Reply &amp;all</source>
        <translation>全部回复(&amp;A)</translation>
    </message>
    <message>
        <source>Reply to all</source>
        <translation>全部回复</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>转发(&amp;F)</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>Internal &amp;note</source>
        <translation>内部备注(&amp;N)</translation>
    </message>
    <message>
        <source>Add internal note</source>
        <translation>添加内部备注</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>转接(&amp;T)…</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>&amp;Escalate…</source>
        <translation>升级(&amp;E)…</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <source>Close the conversation</source>
        <translation>关闭会话</translation>
    </message>
    <message>
        <source>Internal note for colleagues (never sent to the customer)</source>
        <translation>给同事的内部备注（不会发送给客户）</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>内部备注</translation>
    </message>
    <message>
        <source>A&amp;dd note</source>
        <translation>添加备注(&amp;D)</translation>
    </message>
    <message>
        <source>Add the note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（无主题）</translation>
    </message>
    <message>
        <source>Only the assigned agent can reply; you can add internal notes.</source>
        <translation>仅分配的坐席可以回复；您可以添加内部备注。</translation>
    </message>
    <message>
        <source>This interaction is no longer in your queue.</source>
        <translation>此互动已不在您的队列中。</translation>
    </message>
    <message>
        <source>Offline — the thread will load when the connection returns.</source>
        <translation>离线 — 连接恢复后将加载邮件会话。</translation>
    </message>
    <message>
        <source>image not loaded</source>
        <translation>图片未加载</translation>
    </message>
    <message>
        <source>There is no message to answer yet.</source>
        <translation>还没有可回复的消息。</translation>
    </message>
    <message>
        <source>Could not add the note</source>
        <translation>无法添加备注</translation>
    </message>
    <message>
        <source>Could not close</source>
        <translation>无法关闭</translation>
    </message>
    <message>
        <source>Could not escalate</source>
        <translation>无法升级</translation>
    </message>
    <message>
        <source>Could not transfer</source>
        <translation>无法转接</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>保存附件</translation>
    </message>
    <message>
        <source>Offline — try again when the connection returns.</source>
        <translation>离线 — 请在连接恢复后重试。</translation>
    </message>
    <message>
        <source>%1 could not be saved.</source>
        <translation>无法保存 %1。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Everything in Agent Desk can be done from the keyboard.</source>
        <translation>坐席工作台的所有操作都可以用键盘完成。</translation>
    </message>
    <message>
        <source>Shortcut list</source>
        <translation>快捷键列表</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>InteractionState</name>
    <message>
        <source>Offered to you</source>
        <translation>待您接受</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>In queue</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Offered</source>
        <translation>待接受</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>已放弃</translation>
    </message>
</context>
<context>
    <name>KbLinkPicker</name>
    <message>
        <source>Linked knowledge-base articles</source>
        <translation>关联的知识库文章</translation>
    </message>
    <message>
        <source>Find an article to link</source>
        <translation>查找要关联的文章</translation>
    </message>
    <message>
        <source>Search articles, or type an id and press Enter</source>
        <translation>搜索文章，或输入文章编号后按 Enter</translation>
    </message>
    <message>
        <source>Type words to find an article and press Enter to link the highlighted one. To link an id as typed, close the list with Escape, then press Enter.</source>
        <translation>输入关键词查找文章，按 Enter 关联高亮显示的文章。若要按所输入的编号关联，请先按 Esc 关闭列表，再按 Enter。</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>Article link hint</source>
        <translation>文章关联提示</translation>
    </message>
    <message>
        <source>Chosen articles</source>
        <translation>已选文章</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected article</source>
        <translation>移除所选文章</translation>
    </message>
    <message>
        <source>Matching articles</source>
        <translation>匹配的文章</translation>
    </message>
    <message>
        <source>Choose an article from the list, or type its id.</source>
        <translation>请从列表中选择文章，或输入文章编号。</translation>
    </message>
</context>
<context>
    <name>KnowledgePanel</name>
    <message>
        <source>Knowledge base (in its search box): move through the results</source>
        <translation>知识库（在其搜索框中）：在结果中上下移动</translation>
    </message>
    <message>
        <source>Knowledge base: insert the selected article into the reply</source>
        <translation>知识库：将所选文章插入回复</translation>
    </message>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search the knowledge base</source>
        <translation>搜索知识库</translation>
    </message>
    <message>
        <source>Search the knowledge base (Ctrl+4)</source>
        <translation>搜索知识库（Ctrl+4）</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>Knowledge-base message</source>
        <translation>知识库消息</translation>
    </message>
    <message>
        <source>Knowledge-base results</source>
        <translation>知识库搜索结果</translation>
    </message>
    <message>
        <source>Knowledge-base notice</source>
        <translation>知识库提示</translation>
    </message>
    <message>
        <source>The knowledge base is not available offline yet</source>
        <translation>离线时暂时无法使用知识库</translation>
    </message>
    <message>
        <source>The knowledge base could not be searched. Try again.</source>
        <translation>无法搜索知识库，请重试。</translation>
    </message>
    <message>
        <source>Type to search the knowledge base</source>
        <translation>输入文字即可搜索知识库</translation>
    </message>
    <message>
        <source>No articles match “%1”.</source>
        <translation>没有与“%1”匹配的文章。</translation>
    </message>
    <message>
        <source>Copied “%1”.</source>
        <translation>已复制“%1”。</translation>
    </message>
    <message>
        <source>Thank you: noted that “%1” helped.</source>
        <translation>谢谢：已记录“%1”有帮助。</translation>
    </message>
</context>
<context>
    <name>KnowledgeWiring</name>
    <message>
        <source>Open a conversation to insert a reply</source>
        <translation>请先打开会话再插入回复</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — Agent Desk</source>
        <translation>登录 — 坐席工作台</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Agent Desk</source>
        <translation>坐席工作台</translation>
    </message>
    <message>
        <source>Sign in to start your shift.</source>
        <translation>登录后即可开始当班。</translation>
    </message>
    <message>
        <source>Why you need to sign in</source>
        <translation>需要登录的原因</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>在此电脑上记住我(&amp;R)</translation>
    </message>
    <message>
        <source>Remember me</source>
        <translation>记住我</translation>
    </message>
    <message>
        <source>Keeps a sign-in token in the system&apos;s credential store. Your password is never stored.</source>
        <translation>在系统凭据存储中保存登录令牌，绝不保存您的密码。</translation>
    </message>
    <message>
        <source>About remember me</source>
        <translation>关于“记住我”</translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation>登录问题</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Quit Agent Desk</source>
        <translation>退出坐席工作台</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>No system credential store was found: you will be remembered for this session only.</source>
        <translation>未找到系统凭据存储：仅在本次运行期间记住您的登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Show the keyboard shortcuts</source>
        <translation>显示键盘快捷键</translation>
    </message>
    <message>
        <source>Go to the queue</source>
        <translation>转到队列</translation>
    </message>
    <message>
        <source>Go to the open interactions</source>
        <translation>转到已打开的会话</translation>
    </message>
    <message>
        <source>Go to the customer panel</source>
        <translation>转到客户面板</translation>
    </message>
    <message>
        <source>Search the knowledge base</source>
        <translation>搜索知识库</translation>
    </message>
    <message>
        <source>Knowledge-base articles (write, review, publish)</source>
        <translation>知识库文章（撰写、审核、发布）</translation>
    </message>
    <message>
        <source>Next interaction tab</source>
        <translation>下一个会话标签页</translation>
    </message>
    <message>
        <source>Previous interaction tab</source>
        <translation>上一个会话标签页</translation>
    </message>
    <message>
        <source>Close the interaction tab</source>
        <translation>关闭当前会话标签页</translation>
    </message>
    <message>
        <source>Change your state</source>
        <translation>更改您的状态</translation>
    </message>
    <message>
        <source>Take the selected email or follow-up task</source>
        <translation>领取所选邮件或跟进任务</translation>
    </message>
    <message>
        <source>Insert suggested reply 1 (Alt+2 … Alt+5: the others)</source>
        <translation>插入建议回复 1（Alt+2 … Alt+5：其余各条）</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>立即重连</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Agent Desk</source>
        <translation>坐席工作台</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Go to the &amp;queue</source>
        <translation>转到队列(&amp;Q)</translation>
    </message>
    <message>
        <source>Go to the &amp;interactions</source>
        <translation>转到会话(&amp;I)</translation>
    </message>
    <message>
        <source>Go to the &amp;customer</source>
        <translation>转到客户(&amp;C)</translation>
    </message>
    <message>
        <source>Search the &amp;knowledge base</source>
        <translation>搜索知识库(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Articles…</source>
        <translation>文章(&amp;A)…</translation>
    </message>
    <message>
        <source>Write, review and publish knowledge-base articles (Ctrl+Shift+J)</source>
        <translation>撰写、审核和发布知识库文章（Ctrl+Shift+J）</translation>
    </message>
    <message>
        <source>Reply &amp;templates…</source>
        <translation>回复模板(&amp;T)…</translation>
    </message>
    <message>
        <source>The reply templates and their #shortcuts (leads and admins edit them)</source>
        <translation>回复模板及其 #快捷词（由组长和管理员编辑）</translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation>下一个标签页(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous tab</source>
        <translation>上一个标签页(&amp;P)</translation>
    </message>
    <message>
        <source>Change your &amp;state…</source>
        <translation>更改状态(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Reconnect now</source>
        <translation>立即重连(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>Sign &amp;in again…</source>
        <translation>重新登录(&amp;I)…</translation>
    </message>
    <message>
        <source>Next most urgent</source>
        <translation>下一个最紧急</translation>
    </message>
    <message>
        <source>Select the most urgent interaction (Ctrl+Shift+N)</source>
        <translation>选中最紧急的会话（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>&amp;Take it</source>
        <translation>领取(&amp;T)</translation>
    </message>
    <message>
        <source>Take the selected waiting email or follow-up task yourself (Ctrl+Shift+P)</source>
        <translation>亲自领取所选的等待中邮件或跟进任务（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Customer &amp;panel</source>
        <translation>客户面板(&amp;P)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>当前登录坐席</translation>
    </message>
    <message>
        <source>&amp;Agent Desk</source>
        <translation>坐席工作台(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Knowledge</source>
        <translation>知识库(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Notify me of &amp;offers</source>
        <translation>有新会话推送时通知我(&amp;O)</translation>
    </message>
    <message>
        <source>Notify me when my work nears its &amp;SLA</source>
        <translation>我的会话临近 SLA 时限时通知我(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Ring for incoming calls</source>
        <translation>来电时响铃(&amp;R)</translation>
    </message>
    <message>
        <source>Show the &amp;newest email of a thread first</source>
        <translation>邮件会话中最新邮件置顶(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 — Agent Desk</source>
        <translation>%1 — 坐席工作台</translation>
    </message>
    <message>
        <source>Could not take it</source>
        <translation>无法领取</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
</context>
<context>
    <name>MatchPrompt</name>
    <message>
        <source>Customer match</source>
        <translation>客户匹配</translation>
    </message>
    <message>
        <source>Find or &amp;create…</source>
        <translation>查找或新建(&amp;C)…</translation>
    </message>
    <message>
        <source>Search customers or create one</source>
        <translation>搜索客户或新建客户</translation>
    </message>
    <message>
        <source>&amp;Keep as new</source>
        <translation>保留为新客户(&amp;K)</translation>
    </message>
    <message>
        <source>Keep the new customer</source>
        <translation>保留新客户</translation>
    </message>
    <message>
        <source>Several customers are called %1 — is it one of them?</source>
        <translation>有多位客户名为 %1 — 是其中之一吗？</translation>
    </message>
    <message>
        <source>Link to %1</source>
        <translation>关联到 %1</translation>
    </message>
    <message>
        <source>New customer — link to an existing one or keep it.</source>
        <translation>新客户 — 关联到已有客户或保留为新客户。</translation>
    </message>
</context>
<context>
    <name>NoteWidget</name>
    <message>
        <source>Internal note by %1</source>
        <translation>%1 的内部备注</translation>
    </message>
    <message>
        <source>Internal note — not sent to the customer</source>
        <translation>内部备注 — 不会发送给客户</translation>
    </message>
</context>
<context>
    <name>PastInteractionDialog</name>
    <message>
        <source>Conversation: %1</source>
        <translation>会话：%1</translation>
    </message>
    <message>
        <source>Past conversation</source>
        <translation>历史会话</translation>
    </message>
    <message>
        <source>About this conversation</source>
        <translation>会话详情</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Conversation message</source>
        <translation>会话消息</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>会话记录</translation>
    </message>
    <message>
        <source>Messages of the thread</source>
        <translation>邮件会话中的消息</translation>
    </message>
    <message>
        <source>Message header</source>
        <translation>消息头</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Close the conversation</source>
        <translation>关闭会话</translation>
    </message>
    <message>
        <source>Turn this answer into an &amp;article…</source>
        <translation>将此答复转为文章(&amp;A)…</translation>
    </message>
    <message>
        <source>Start a knowledge-base article from this conversation; an editor reviews it before agents see it</source>
        <translation>根据此会话起草一篇知识库文章；经编辑审核后坐席才能看到</translation>
    </message>
    <message>
        <source>The conversation could not be loaded.</source>
        <translation>无法加载会话。</translation>
    </message>
    <message>
        <source>Offline — showing the copy from %1.</source>
        <translation>离线 — 显示 %1 时的副本。</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（无主题）</translation>
    </message>
    <message>
        <source>resolved on first contact</source>
        <translation>首次联系即解决</translation>
    </message>
    <message>
        <source>CSAT %1 of 5</source>
        <translation>满意度 %1 / 5</translation>
    </message>
    <message>
        <source>Wrap-up notes: %1</source>
        <translation>话后处理备注：%1</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>收件人：%1</translation>
    </message>
    <message>
        <source>internal note</source>
        <translation>内部备注</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Nothing was written in this conversation.</source>
        <translation>此会话中没有任何内容。</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>发件人：%1</translation>
    </message>
    <message>
        <source>Cc: %1</source>
        <translation>抄送：%1</translation>
    </message>
    <message>
        <source>Date: %1</source>
        <translation>日期：%1</translation>
    </message>
</context>
<context>
    <name>PhoneView</name>
    <message>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Call notice</source>
        <translation>通话提示</translation>
    </message>
    <message>
        <source>Call problem</source>
        <translation>通话问题</translation>
    </message>
    <message>
        <source>This call is no longer yours or no longer in your queue. Your notes are kept.</source>
        <translation>此通话已不属于您或已不在您的队列中。您的备注已保留。</translation>
    </message>
    <message>
        <source>That is not possible in the call&apos;s current state.</source>
        <translation>通话当前状态下无法执行此操作。</translation>
    </message>
    <message>
        <source>Could not answer</source>
        <translation>无法接听</translation>
    </message>
    <message>
        <source>Could not resume the call</source>
        <translation>无法恢复通话</translation>
    </message>
    <message>
        <source>Could not hold</source>
        <translation>无法保持</translation>
    </message>
    <message>
        <source>Could not unmute</source>
        <translation>无法取消静音</translation>
    </message>
    <message>
        <source>Could not mute</source>
        <translation>无法静音</translation>
    </message>
    <message>
        <source>Could not hang up</source>
        <translation>无法挂断</translation>
    </message>
    <message>
        <source>Could not complete the transfer</source>
        <translation>无法完成转接</translation>
    </message>
    <message>
        <source>Could not start the conference</source>
        <translation>无法发起三方通话</translation>
    </message>
    <message>
        <source>Could not return to the caller</source>
        <translation>无法返回来电者</translation>
    </message>
    <message>
        <source>Could not transfer</source>
        <translation>无法转接</translation>
    </message>
    <message>
        <source>Could not start the consultation</source>
        <translation>无法发起咨询</translation>
    </message>
    <message>
        <source>Could not escalate</source>
        <translation>无法升级</translation>
    </message>
    <message>
        <source>Could not send the digits</source>
        <translation>无法发送数字</translation>
    </message>
    <message>
        <source>The digits were not sent.</source>
        <translation>数字未发送。</translation>
    </message>
    <message>
        <source>Not sent: the call is not connected right now.</source>
        <translation>未发送：通话当前未接通。</translation>
    </message>
    <message>
        <source>Could not request the callback</source>
        <translation>无法申请回拨</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
</context>
<context>
    <name>QueueDelegate</name>
    <message>
        <source>at risk</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <source>breached</source>
        <translation>已超时</translation>
    </message>
</context>
<context>
    <name>QueueFilterBar</name>
    <message>
        <source>Filter by customer, subject or queue</source>
        <translation>按客户、主题或队列筛选</translation>
    </message>
    <message>
        <source>Filter the queue</source>
        <translation>筛选队列</translation>
    </message>
    <message>
        <source>Show only interactions whose customer, subject, last message or queue contain every word typed here (Ctrl+F)</source>
        <translation>只显示客户、主题、最新消息或队列中包含此处所输入全部词语的会话（Ctrl+F）</translation>
    </message>
    <message>
        <source>All %1</source>
        <translation>全部 %1</translation>
    </message>
    <message>
        <source>Show every channel: %1 interactions</source>
        <translation>显示所有渠道：%1 个会话</translation>
    </message>
    <message>
        <source>Phone %1</source>
        <translation>电话 %1</translation>
    </message>
    <message>
        <source>Show only phone calls: %1</source>
        <translation>只显示电话：%1</translation>
    </message>
    <message>
        <source>Email %1</source>
        <translation>邮件 %1</translation>
    </message>
    <message>
        <source>Show only emails: %1</source>
        <translation>只显示邮件：%1</translation>
    </message>
    <message>
        <source>Chat %1</source>
        <translation>聊天 %1</translation>
    </message>
    <message>
        <source>Show only chats: %1</source>
        <translation>只显示聊天：%1</translation>
    </message>
</context>
<context>
    <name>QueueOfferBar</name>
    <message>
        <source>Busy with another customer</source>
        <translation>正在服务其他客户</translation>
    </message>
    <message>
        <source>Outside my skills</source>
        <translation>超出我的技能范围</translation>
    </message>
    <message>
        <source>I don&apos;t speak the customer&apos;s language</source>
        <translation>不会客户使用的语言</translation>
    </message>
    <message>
        <source>Going on a break</source>
        <translation>准备小休</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Accept this offer (Ctrl+Shift+A)</source>
        <translation>接受此会话（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>Accept the offer</source>
        <translation>接受会话</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>拒绝…</translation>
    </message>
    <message>
        <source>Decline this offer with a reason (Ctrl+Shift+D)</source>
        <translation>填写原因并拒绝此会话（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <source>Decline the offer</source>
        <translation>拒绝会话</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>新会话推送</translation>
    </message>
    <message>
        <source>Offer to you</source>
        <translation>推送给您的会话</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation>其他原因…</translation>
    </message>
    <message>
        <source>Incoming call from %1</source>
        <translation>来电：%1</translation>
    </message>
    <message>
        <source>New chat from %1</source>
        <translation>新聊天：%1</translation>
    </message>
    <message>
        <source>Email from %1 offered to you</source>
        <translation>新邮件待您接受：%1</translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <source>Offers waiting besides this one: %1</source>
        <translation>除此之外还有 %1 个会话待您接受</translation>
    </message>
    <message>
        <source>Expires in %1</source>
        <translation>%1 后超时</translation>
    </message>
    <message>
        <source>Why do you decline this offer?</source>
        <translation>请填写拒绝此会话的原因：</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Accept the offer</source>
        <translation>接受会话</translation>
    </message>
    <message>
        <source>Decline the offer with a reason</source>
        <translation>填写原因并拒绝会话</translation>
    </message>
    <message>
        <source>Select the next most urgent interaction</source>
        <translation>选中下一个最紧急的会话</translation>
    </message>
    <message>
        <source>Filter the queue by text</source>
        <translation>按文字筛选队列</translation>
    </message>
    <message>
        <source>Show every channel</source>
        <translation>显示所有渠道</translation>
    </message>
    <message>
        <source>Show only phone calls</source>
        <translation>只显示电话</translation>
    </message>
    <message>
        <source>Show only emails</source>
        <translation>只显示邮件</translation>
    </message>
    <message>
        <source>Show only chats</source>
        <translation>只显示聊天</translation>
    </message>
    <message>
        <source>Move through the queue</source>
        <translation>在队列中上下移动</translation>
    </message>
    <message>
        <source>Open the selected interaction</source>
        <translation>打开选中的会话</translation>
    </message>
    <message>
        <source>Clear the text filter and return to the queue</source>
        <translation>清除文字筛选并返回队列</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Interactions waiting in your queues, offered to you or yours, most urgent first. Press Enter to open the selected one.</source>
        <translation>您所在队列中等待的会话、推送给您的会话和您名下的会话，最紧急的排在最前。按 Enter 打开选中的会话。</translation>
    </message>
    <message>
        <source>Queue pane</source>
        <translation>队列面板</translation>
    </message>
</context>
<context>
    <name>QueueTime</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
</context>
<context>
    <name>ReplyHint</name>
    <message>
        <source>Reply hint</source>
        <translation>回复提示</translation>
    </message>
    <message>
        <source>Saying no? Give the reason and offer an alternative (decline → reason → alternative).</source>
        <translation>要拒绝客户？请说明原因并提供替代方案（婉拒 → 原因 → 替代方案）。</translation>
    </message>
    <message>
        <source>“%1” is a promise our policy does not allow.</source>
        <translation>“%1”是我们的政策不允许的承诺。</translation>
    </message>
    <message>
        <source>%1 is not a variable we know — replace it before sending.</source>
        <translation>%1 不是已知的变量 — 请在发送前替换。</translation>
    </message>
    <message>
        <source>%1 has no value — fill it in before sending.</source>
        <translation>%1 没有值 — 请在发送前填写。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Trainer</source>
        <translation>培训师</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>RowFormatter</name>
    <message>
        <source>Gold customer</source>
        <translation>金牌客户</translation>
    </message>
    <message>
        <source>VIP customer</source>
        <translation>VIP 客户</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Yours, on hold</source>
        <translation>我的（保持中）</translation>
    </message>
    <message>
        <source>Yours, in wrap-up</source>
        <translation>我的（话后处理）</translation>
    </message>
    <message>
        <source>Offered to you</source>
        <translation>待您接受</translation>
    </message>
    <message>
        <source>In queue</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Offered to %1</source>
        <translation>待 %1 接受</translation>
    </message>
    <message>
        <source>Offered to another agent</source>
        <translation>待其他坐席接受</translation>
    </message>
    <message>
        <source>With %1</source>
        <translation>%1 处理中</translation>
    </message>
    <message>
        <source>With another agent</source>
        <translation>其他坐席处理中</translation>
    </message>
    <message>
        <source>Queue %1</source>
        <translation>队列 %1</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA 剩余</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel: phone, email or chat</source>
        <translation>渠道：电话、邮件或聊天</translation>
    </message>
    <message>
        <source>Customer and tier</source>
        <translation>客户及等级</translation>
    </message>
    <message>
        <source>Subject of the email or call, or the last message of the chat</source>
        <translation>邮件或电话的主题，或聊天的最新消息</translation>
    </message>
    <message>
        <source>Waiting time since the interaction was created</source>
        <translation>会话创建后已等待的时长</translation>
    </message>
    <message>
        <source>Time left to the SLA target: first response, then resolution</source>
        <translation>距 SLA 目标的剩余时间：先计首次响应，再计解决时限</translation>
    </message>
    <message>
        <source>Offered to you, yours, or waiting in the queue</source>
        <translation>待您接受、您名下的或在队列中等待的会话</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Waiting for %1</source>
        <translation>已等待 %1</translation>
    </message>
    <message>
        <source>Offered to you, %1 left</source>
        <translation>待您接受，剩余 %1</translation>
    </message>
    <message>
        <source>First response overdue by %1 (breached)</source>
        <translation>首次响应已超时 %1（已违反 SLA）</translation>
    </message>
    <message>
        <source>Resolution overdue by %1 (breached)</source>
        <translation>解决时限已超时 %1（已违反 SLA）</translation>
    </message>
    <message>
        <source>First response due in %1 (at risk)</source>
        <translation>首次响应剩余 %1（即将超时）</translation>
    </message>
    <message>
        <source>Resolution due in %1 (at risk)</source>
        <translation>解决时限剩余 %1（即将超时）</translation>
    </message>
    <message>
        <source>First response due in %1 (on track)</source>
        <translation>首次响应剩余 %1（正常）</translation>
    </message>
    <message>
        <source>Resolution due in %1 (on track)</source>
        <translation>解决时限剩余 %1（正常）</translation>
    </message>
</context>
<context>
    <name>SafeBrowser</name>
    <message>
        <source>Message text</source>
        <translation>消息正文</translation>
    </message>
    <message>
        <source>image not loaded</source>
        <translation>图片未加载</translation>
    </message>
    <message>
        <source>Careful: this link leads to %1, not to the address its text shows. %2</source>
        <translation>注意：此链接指向 %1，而非其文字显示的地址。%2</translation>
    </message>
    <message>
        <source>Link to %1</source>
        <translation>指向 %1 的链接</translation>
    </message>
    <message>
        <source>This link was not opened: links of this kind (%1) are never opened from an email.</source>
        <translation>未打开此链接：此类链接（%1）绝不会从邮件中打开。</translation>
    </message>
    <message>
        <source>relative</source>
        <translation>相对</translation>
    </message>
    <message>
        <source>Open this link in your web browser?

%1</source>
        <translation>在网页浏览器中打开此链接？

%1</translation>
    </message>
    <message>
        <source>Careful: the link&apos;s text shows a different address than where it really leads (%1).</source>
        <translation>注意：链接文字显示的地址与实际指向的地址（%1）不同。</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>打开链接</translation>
    </message>
</context>
<context>
    <name>SideColumn</name>
    <message>
        <source>Customer and knowledge</source>
        <translation>客户与知识库侧栏</translation>
    </message>
    <message>
        <source>Customer and knowledge base</source>
        <translation>客户与知识库</translation>
    </message>
    <message>
        <source>Side panel tabs</source>
        <translation>侧栏标签页</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>The customer and their history (Ctrl+3)</source>
        <translation>客户及其历史记录（Ctrl+3）</translation>
    </message>
    <message>
        <source>Search the knowledge base (Ctrl+4)</source>
        <translation>搜索知识库（Ctrl+4）</translation>
    </message>
</context>
<context>
    <name>SignInPrompt</name>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>StateSelector</name>
    <message>
        <source>Your state</source>
        <translation>您的状态</translation>
    </message>
    <message>
        <source>Your state: choose Available, Away or Offline</source>
        <translation>您的状态：可选择空闲、示忙或离线</translation>
    </message>
    <message>
        <source>Choose your state</source>
        <translation>选择您的状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <source>Time in the current state</source>
        <translation>当前状态已持续的时间</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>%1 (set by the server)</source>
        <translation>%1（由服务器设置）</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Away: %1</source>
        <translation>示忙：%1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Connection</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>立即重连</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>最新提示</translation>
    </message>
    <message>
        <source>Sign-in memory</source>
        <translation>登录记忆</translation>
    </message>
    <message>
        <source>Queue counts</source>
        <translation>队列计数</translation>
    </message>
    <message>
        <source>Your state and time in state</source>
        <translation>您的状态及持续时间</translation>
    </message>
    <message>
        <source>Phone %1 · Email %2 · Chat %3</source>
        <translation>电话 %1 · 邮件 %2 · 聊天 %3</translation>
    </message>
    <message>
        <source>Offers %1</source>
        <translation>待接受 %1</translation>
    </message>
    <message>
        <source>Mine %1</source>
        <translation>我的 %1</translation>
    </message>
    <message>
        <source>Only the sign-in token is kept, never your password.</source>
        <translation>只保存登录令牌，绝不保存您的密码。</translation>
    </message>
    <message numerus="yes">
        <source>Connected — sending %n queued action(s)</source>
        <translation>
            <numerusform>已连接 — 正在发送 %n 个待发送操作</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Signed out — sign in again</source>
        <translation>已退出登录 — 请重新登录</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>%n 秒后重连</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message numerus="yes">
        <source>actions queued: %n</source>
        <translation>
            <numerusform>待发送操作：%n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offline — actions queued: %n</source>
        <translation>
            <numerusform>离线 — 待发送操作：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
</context>
<context>
    <name>SuggestionCard</name>
    <message>
        <source>Suggestion %1: %2 — %3</source>
        <translation>建议 %1：%2 — %3</translation>
    </message>
    <message>
        <source>%1

Click or press %2 to insert it into your reply.</source>
        <translation>%1

单击或按 %2 将其插入回复。</translation>
    </message>
</context>
<context>
    <name>SuggestionsPanel</name>
    <message>
        <source>Suggested replies</source>
        <translation>建议回复</translation>
    </message>
    <message>
        <source>Alt+1…%1 inserts</source>
        <translation>Alt+1…%1 插入</translation>
    </message>
    <message>
        <source>Suggestions status</source>
        <translation>建议状态</translation>
    </message>
    <message>
        <source>Inserted suggestion</source>
        <translation>已插入的建议</translation>
    </message>
    <message>
        <source>Open a conversation to see suggested replies.</source>
        <translation>打开会话即可查看建议回复。</translation>
    </message>
    <message>
        <source>Open a conversation you can reply in to insert a suggestion.</source>
        <translation>请打开一个您可以回复的会话，再插入建议。</translation>
    </message>
    <message>
        <source>Looking for suggestions…</source>
        <translation>正在查找建议…</translation>
    </message>
    <message>
        <source>There is no knowledge base on this computer yet.</source>
        <translation>本机上还没有知识库。</translation>
    </message>
    <message>
        <source>Suggestions appear when the customer writes.</source>
        <translation>客户发来消息后将在此显示建议。</translation>
    </message>
    <message>
        <source>No suggestions for this message — search the knowledge base instead.</source>
        <translation>此消息没有建议 — 请改为搜索知识库。</translation>
    </message>
    <message>
        <source>The knowledge base is not on this computer yet; it arrives after sign-in.</source>
        <translation>本机上还没有知识库；登录后将自动获取。</translation>
    </message>
    <message>
        <source>Suggestions are not available right now.</source>
        <translation>暂时无法提供建议。</translation>
    </message>
    <message>
        <source>Refusal — decline, reason, alternative</source>
        <translation>拒绝 — 婉拒、原因、替代方案</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Team reply</source>
        <translation>团队回复</translation>
    </message>
    <message>
        <source>Matches: %1</source>
        <translation>匹配：%1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>最新消息</translation>
    </message>
    <message>
        <source>The conversation will appear here.</source>
        <translation>对话内容将显示在这里。</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（无主题）</translation>
    </message>
    <message>
        <source>This interaction is no longer in your queue.</source>
        <translation>此会话已不在您的队列中。</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Reply templates</source>
        <translation>回复模板</translation>
    </message>
    <message>
        <source>Template editor</source>
        <translation>模板编辑器</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>全部语言</translation>
    </message>
    <message>
        <source>Find in title, shortcut, tags or text…</source>
        <translation>在标题、快捷词、标签或正文中查找…</translation>
    </message>
    <message>
        <source>Find templates</source>
        <translation>查找模板</translation>
    </message>
    <message>
        <source>&amp;New template</source>
        <translation>新建模板(&amp;N)</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Template editor notice</source>
        <translation>模板编辑器提示</translation>
    </message>
    <message>
        <source>Reply templates are managed by KB editors (team leads and admins); you can read and preview them here.</source>
        <translation>回复模板由知识库编辑（组长和管理员）管理；您可以在此查看和预览。</translation>
    </message>
    <message>
        <source>Template state</source>
        <translation>模板状态</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;tire…</source>
        <translation>停用(&amp;T)…</translation>
    </message>
    <message>
        <source>Agents no longer get this template</source>
        <translation>坐席将不再获得此模板</translation>
    </message>
    <message>
        <source>Could not read the templates on this computer: %1</source>
        <translation>无法读取本机上的模板：%1</translation>
    </message>
    <message>
        <source>Not synced to this computer yet</source>
        <translation>尚未同步到本机</translation>
    </message>
    <message>
        <source>Templates: %1</source>
        <translation>模板：%1</translation>
    </message>
    <message>
        <source>%1 of %2 templates</source>
        <translation>%1 / %2 个模板</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>This template has changes that are not saved. Discard them?</source>
        <translation>此模板有未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <source>Retire template</source>
        <translation>停用模板</translation>
    </message>
    <message>
        <source>Retire “%1”? Agents no longer get it in suggestions or with its shortcut after their next sync.</source>
        <translation>要停用“%1”吗？坐席下次同步后，建议中将不再出现此模板，也无法再通过快捷词使用。</translation>
    </message>
    <message>
        <source>This template is not on this computer (yet).</source>
        <translation>本机上（尚）没有此模板。</translation>
    </message>
    <message>
        <source>New template — not saved yet</source>
        <translation>新模板 — 尚未保存</translation>
    </message>
    <message>
        <source>Version %1 · %2</source>
        <translation>第 %1 版 · %2</translation>
    </message>
    <message>
        <source>saved; agents get it with their next sync</source>
        <translation>已保存；坐席下次同步时获取</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Could not save the template</source>
        <translation>无法保存模板</translation>
    </message>
    <message>
        <source>Could not retire the template</source>
        <translation>无法停用模板</translation>
    </message>
    <message>
        <source>“%1” is retired; agents lose it with their next sync.</source>
        <translation>“%1”已停用；坐席下次同步后将不再拥有此模板。</translation>
    </message>
</context>
<context>
    <name>TemplateForm</name>
    <message>
        <source>Insert &amp;variable</source>
        <translation>插入变量(&amp;V)</translation>
    </message>
    <message>
        <source>refund, returns, 退款</source>
        <translation>退款, 退货, 物流</translation>
    </message>
    <message>
        <source>refund (agents type #refund)</source>
        <translation>退款（坐席输入 #退款）</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Ta&amp;gs</source>
        <translation>标签(&amp;G)</translation>
    </message>
    <message>
        <source>Short&amp;cut</source>
        <translation>快捷词(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Refusal: says no (decline → reason → alternative)</source>
        <translation>拒绝类模板(&amp;R)：表示拒绝（婉拒 → 原因 → 替代方案）</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Template text</source>
        <translation>模板正文</translation>
    </message>
    <message>
        <source>Hi {customer.first_name}, … — {agent.name}</source>
        <translation>{customer.first_name}，您好！… — {agent.name}</translation>
    </message>
    <message>
        <source>Template problems</source>
        <translation>模板问题</translation>
    </message>
    <message>
        <source>Template advice</source>
        <translation>模板建议</translation>
    </message>
    <message>
        <source>What the customer reads</source>
        <translation>客户看到的内容</translation>
    </message>
    <message>
        <source>Give the template a title.</source>
        <translation>请填写模板标题。</translation>
    </message>
    <message>
        <source>Write the template&apos;s text.</source>
        <translation>请填写模板正文。</translation>
    </message>
    <message>
        <source>The text is too long (at most 20,000 characters).</source>
        <translation>正文过长（最多 20,000 个字符）。</translation>
    </message>
    <message>
        <source>Choose the template&apos;s language (en, zh, …).</source>
        <translation>请选择模板语言（en、zh 等）。</translation>
    </message>
    <message>
        <source>Fix the problems marked in red under the text.</source>
        <translation>请修正正文下方以红色标出的问题。</translation>
    </message>
    <message>
        <source>Unknown variables: %1 — customers would read them as written. Use Insert variable, or write {{ and }} for braces.</source>
        <translation>未知变量：%1 — 客户会看到原样文字。请使用“插入变量”，如需花括号请写作 {{ 和 }}。</translation>
    </message>
    <message>
        <source>A shortcut is up to %1 letters, digits, _ or - (no spaces, #, { or }): what agents type after #.</source>
        <translation>快捷词最多 %1 个字符，只能包含字母、数字、_ 或 -（不能有空格、#、{ 或 }），即坐席在 # 后输入的内容。</translation>
    </message>
    <message>
        <source>#%1 is already the shortcut of “%2”.</source>
        <translation>#%1 已是“%2”的快捷词。</translation>
    </message>
    <message>
        <source>{%1} has no value on this server: agents fill it in by hand.</source>
        <translation>{%1} 在此服务器上没有值：需由坐席手动填写。</translation>
    </message>
    <message>
        <source>A refusal should say why (decline → reason → alternative).</source>
        <translation>拒绝类回复应说明原因（婉拒 → 原因 → 替代方案）。</translation>
    </message>
    <message>
        <source>A refusal should offer an alternative (decline → reason → alternative).</source>
        <translation>拒绝类回复应提供替代方案（婉拒 → 原因 → 替代方案）。</translation>
    </message>
    <message>
        <source>“%1” is a promise our policy does not allow.</source>
        <translation>“%1”是我们的政策不允许的承诺。</translation>
    </message>
    <message>
        <source>No variables.</source>
        <translation>没有变量。</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>变量：%1</translation>
    </message>
    <message>
        <source>What the customer reads — sample: %1, order %2, agent %3</source>
        <translation>客户看到的内容 — 示例：%1，订单 %2，坐席 %3</translation>
    </message>
</context>
<context>
    <name>TemplateListModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷词</translation>
    </message>
    <message>
        <source>Refusal</source>
        <translation>拒绝类</translation>
    </message>
    <message>
        <source>Says no in the decline → reason → alternative pattern</source>
        <translation>按“婉拒 → 原因 → 替代方案”的模式表示拒绝</translation>
    </message>
</context>
<context>
    <name>Tier</name>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>金牌</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>普通</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <source>Chat transcript</source>
        <translation>聊天记录</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Consult</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Hand this interaction to another agent or queue. You leave it at once.</source>
        <translation>将此互动交给其他坐席或队列。您将立即离开此互动。</translation>
    </message>
    <message>
        <source>Talk to another agent first while the caller is on hold; then complete the transfer, join a conference or return.</source>
        <translation>在来电者保持期间先与其他坐席通话；然后完成转接、发起三方通话或返回来电者。</translation>
    </message>
    <message>
        <source>Send it to a team lead or another queue with a reason. Its history goes with it.</source>
        <translation>附上原因，转给组长或其他队列。其历史记录会一并转交。</translation>
    </message>
    <message>
        <source>&amp;Find:</source>
        <translation>查找(&amp;F)：</translation>
    </message>
    <message>
        <source>Name of an agent or queue</source>
        <translation>坐席或队列名称</translation>
    </message>
    <message>
        <source>Find a target</source>
        <translation>查找目标</translation>
    </message>
    <message>
        <source>Agents and queues</source>
        <translation>坐席和队列</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Loading who can take it…</source>
        <translation>正在加载可接手的对象…</translation>
    </message>
    <message>
        <source>Target list status</source>
        <translation>目标列表状态</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Load the targets again</source>
        <translation>重新加载目标</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>原因（必填）(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Note for the colleague (optional):</source>
        <translation>给同事的备注（可选）(&amp;N)：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Transfer</source>
        <translation>转接(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Consult</source>
        <translation>咨询(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Escalate</source>
        <translation>升级(&amp;E)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Offline — the list of agents and queues is not available right now.</source>
        <translation>离线 — 坐席和队列列表当前不可用。</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Team leads</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Nobody to hand it to right now.</source>
        <translation>当前没有可转交的对象。</translation>
    </message>
    <message>
        <source>Greyed out: cannot take it now.</source>
        <translation>灰色：当前无法接手。</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 个等待中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n available</source>
        <translation>
            <numerusform>%n 个可用</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody available</source>
        <translation>无人可用</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>At capacity</source>
        <translation>已满负荷</translation>
    </message>
    <message>
        <source>It did not go through. Choose another target or try again.</source>
        <translation>操作未成功。请选择其他目标或重试。</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>Agent Desk</source>
        <translation>坐席工作台</translation>
    </message>
    <message>
        <source>Show Agent Desk</source>
        <translation>显示坐席工作台</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Incoming call offered to you</source>
        <translation>新来电待您接听</translation>
    </message>
    <message>
        <source>Email offered to you</source>
        <translation>新邮件待您接受</translation>
    </message>
    <message>
        <source>Chat offered to you</source>
        <translation>新聊天待您接受</translation>
    </message>
    <message>
        <source>New offer</source>
        <translation>新会话待您接受</translation>
    </message>
    <message>
        <source>SLA at risk</source>
        <translation>SLA 即将超时</translation>
    </message>
    <message>
        <source>%1 is close to its service-level target.</source>
        <translation>即将到达服务水平（SLA）时限：%1</translation>
    </message>
    <message>
        <source>Phone %1 · Email %2 · Chat %3</source>
        <translation>电话 %1 · 邮件 %2 · 聊天 %3</translation>
    </message>
    <message>
        <source>Offers %1 · Mine %2</source>
        <translation>待接受 %1 · 我的 %2</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>No interaction open.

Select one in the queue and press Enter, or double-click it.</source>
        <translation>尚未打开会话。

在队列中选中一个会话后按 Enter，或双击打开。</translation>
    </message>
    <message>
        <source>Open interactions</source>
        <translation>已打开的会话</translation>
    </message>
    <message>
        <source>Interaction tabs</source>
        <translation>会话标签页</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Close the interaction tab</source>
        <translation>关闭此会话标签页</translation>
    </message>
    <message>
        <source>This customer has waited longest for a reply.</source>
        <translation>此客户等待回复的时间最长。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>WrapUpPanel</name>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>After-contact work</source>
        <translation>联络后工作</translation>
    </message>
    <message>
        <source>Wrap-up time</source>
        <translation>话后处理时间</translation>
    </message>
    <message>
        <source>Wrap-up time used</source>
        <translation>已用话后处理时间</translation>
    </message>
    <message>
        <source>Wrap-up message</source>
        <translation>话后处理消息</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Choose a disposition…</source>
        <translation>选择处理结果…</translation>
    </message>
    <message>
        <source>&amp;Disposition:</source>
        <translation>处理结果(&amp;D)：</translation>
    </message>
    <message>
        <source>Wrap-up notes</source>
        <translation>话后处理备注</translation>
    </message>
    <message>
        <source>What happened, what was agreed…</source>
        <translation>发生了什么、约定了什么…</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;KB articles:</source>
        <translation>知识库文章(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Resolved on first contact</source>
        <translation>首次联系即解决(&amp;R)</translation>
    </message>
    <message>
        <source>Resolved on first contact</source>
        <translation>首次联系即解决</translation>
    </message>
    <message>
        <source>Turn this answer into an &amp;article…</source>
        <translation>将此答复转为文章(&amp;A)…</translation>
    </message>
    <message>
        <source>Start a knowledge-base article from this conversation; an editor reviews it before agents see it</source>
        <translation>根据此会话起草一篇知识库文章；经编辑审核后坐席才能看到</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>完成(&amp;D)</translation>
    </message>
    <message>
        <source>Finish the wrap-up</source>
        <translation>完成话后处理</translation>
    </message>
    <message>
        <source>Finish the wrap-up (Ctrl+Enter)</source>
        <translation>完成话后处理 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Nothing to turn into an article yet: write your answer to the customer first.</source>
        <translation>还没有可转为文章的内容：请先写好给客户的答复。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>The time is up: the server closes the interaction without a disposition.</source>
        <translation>时间已到：服务器将在无处理结果的情况下关闭此互动。</translation>
    </message>
    <message>
        <source>Choose a disposition first.</source>
        <translation>请先选择处理结果。</translation>
    </message>
    <message>
        <source>Could not finish the wrap-up</source>
        <translation>无法完成话后处理</translation>
    </message>
    <message>
        <source>Saved; the wrap-up is sent when the connection returns.</source>
        <translation>已保存；连接恢复后将提交话后处理。</translation>
    </message>
    <message>
        <source>That disposition no longer exists. The list is updated: choose another one.</source>
        <translation>该处理结果已不存在。列表已更新：请另选一个。</translation>
    </message>
    <message>
        <source>This interaction is no longer in wrap-up (the time limit may have run out).</source>
        <translation>此互动已不在话后处理中（可能已超出时限）。</translation>
    </message>
    <message>
        <source>The wrap-up was not accepted. Try again.</source>
        <translation>话后处理未被接受。请重试。</translation>
    </message>
    <message>
        <source>Wrapped up: %1.</source>
        <translation>话后处理完成：%1。</translation>
    </message>
    <message>
        <source>The wrap-up time ran out: the interaction was closed without a disposition.</source>
        <translation>话后处理时间已用完：此互动已在无处理结果的情况下关闭。</translation>
    </message>
</context>
</TS>
