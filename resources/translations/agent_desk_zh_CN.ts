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
        <extracomment>Longest wait for the first queue rows before a screenshot is taken anyway.</extracomment>
        <translation>正在启动演示服务器…</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Enter your username and password.</source>
        <extracomment>How long an action waits for its ack before the UI says it is queued.</extracomment>
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
        <source>Offline — customer history is not available right now.</source>
        <translation>离线 — 暂时无法查看客户历史。</translation>
    </message>
    <message>
        <source>Offline — not available right now.</source>
        <translation>离线 — 暂时无法获取。</translation>
    </message>
    <message>
        <source>The server sent a record this version cannot read.</source>
        <translation>服务器发送的记录无法被此版本读取。</translation>
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
        <source>Past interactions</source>
        <translation>历史会话</translation>
    </message>
    <message>
        <source>Date · channel</source>
        <translation>日期 · 渠道</translation>
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
        <source>Loading %1…</source>
        <translation>正在加载 %1 的资料…</translation>
    </message>
    <message>
        <source>The customer could not be loaded.</source>
        <translation>无法加载客户信息。</translation>
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
        <source>Past interactions (%1)</source>
        <translation>历史会话（%1）</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Handled by %1</source>
        <translation>处理人：%1</translation>
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
        <extracomment>(keys, description) of the main window&apos;s own shortcuts (the queue pane lists its own).</extracomment>
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
        <source>Reconnect now</source>
        <translation>立即重连</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Agent Desk</source>
        <extracomment>Language codes and their names in their own language (never translated).</extracomment>
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
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
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
        <extracomment>Text colours (readable on a light background; the icons carry the meaning too). Offer rows: an amber tint and an accent bar; ringing calls pulse between the two tints.</extracomment>
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
        <extracomment>Button order: (channel or None for &quot;all&quot;, key in the counts dict).</extracomment>
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
        <extracomment>Decline reasons offered in the menu: (code sent to the server, English label). The code is stable for reporting; &quot;Other…&quot; sends the text the agent types instead.</extracomment>
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
        <extracomment>Column widths (logical px): fixed ones, and (weight, minimum) of those sharing the rest until the user resizes a column by hand. (key sequence, description) of every shortcut; descriptions are translated on request.</extracomment>
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
        <extracomment>Fraction of a target&apos;s span after which it is at risk (the server warns at the same point).</extracomment>
        <translation>%1 天 %2 小时</translation>
    </message>
</context>
<context>
    <name>RowFormatter</name>
    <message>
        <source>Gold customer</source>
        <extracomment>Columns whose text ticks (computed on request, painted by the delegate). Rank of each state group (the State column&apos;s sort key). First click on these headers sorts descending (most important / longest waiting first).</extracomment>
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
        <extracomment>Which state badge stands for each connection status (shape + colour + text).</extracomment>
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
    <name>SummaryView</name>
    <message>
        <source>Channel</source>
        <extracomment>(interaction, context, parent) -&gt; a QWidget implementing ``InteractionView``.</extracomment>
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
</context>
</TS>
