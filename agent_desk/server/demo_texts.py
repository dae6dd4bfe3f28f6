"""Bilingual text for the demo data (names, products, conversation scripts), kept apart
from ``demo.py`` so the seeding logic stays readable. Pairs are ``(English, Chinese)``;
``{order}`` stands for an order number."""

from __future__ import annotations

from dataclasses import dataclass

EN, ZH = 0, 1
LANG_INDEX = {"en": EN, "zh": ZH}

Pair = tuple[str, str]


@dataclass(frozen=True)
class Topic:
    """One kind of customer request with a short scripted conversation."""

    key: str
    area: str  # general | billing | technical: picks the queue for English customers
    needs_order: bool
    ivr_menu: str  # billing | technical | orders | general, as the simulator's IVR
    subject: Pair
    ask: Pair  # the customer's first message
    reply: Pair  # the agent's first response
    follow: Pair  # the customer's follow-up
    close: Pair  # the agent's closing message
    note: str  # internal note an agent writes during a call
    dispositions: tuple[str, ...]  # likely wrap-up codes, most likely first


TOPICS: tuple[Topic, ...] = (
    Topic(
        "refund_request", "billing", True, "billing",
        ("Refund request for order {order}", "订单 {order} 申请退款"),
        ("I returned order {order} two weeks ago but have not received my refund yet. "
         "Could you check where it is?",
         "我两周前退回了订单 {order}，但到现在还没收到退款，麻烦帮我查一下进度。"),
        ("I checked order {order}: the warehouse received your return on the 3rd. I have "
         "released the refund now; it reaches your card within 3-5 business days.",
         "已为您查询订单 {order}：仓库已签收退货，我刚刚为您办理了退款，"
         "预计 3-5 个工作日原路退回到您的银行卡。"),
        ("Thank you. Will I get an email confirmation?", "好的，会有邮件通知吗？"),
        ("Yes, a confirmation email is on its way. Anything else I can help with?",
         "会的，确认邮件已经发送到您的邮箱。请问还有其他可以帮您的吗？"),
        "Return received 3 days ago, refund released manually; customer informed of 3-5 days.",
        ("refund_issued", "refund_issued", "escalated"),
    ),
    Topic(
        "late_delivery", "general", True, "orders",
        ("Where is my order {order}?", "订单 {order} 还没有送到"),
        ("My order {order} was supposed to arrive last Friday and tracking has not moved "
         "for four days.",
         "订单 {order} 原定上周五送达，物流信息已经四天没有更新了。"),
        ("Sorry about the wait. The parcel for {order} was held at the carrier's depot; I "
         "have opened a trace and it is now scheduled for delivery tomorrow.",
         "非常抱歉让您久等。订单 {order} 的包裹滞留在快递中转站，我已提交查件，"
         "目前安排明天派送。"),
        ("OK, and if it does not come tomorrow?", "好的，如果明天还是没到怎么办？"),
        ("If it has not arrived by tomorrow evening, reply here and I will send a replacement "
         "at no cost.",
         "如果明天晚上还没收到，请直接回复我们，我会免费为您补发。"),
        "Carrier trace opened; promised replacement if not delivered tomorrow.",
        ("info_provided", "info_provided", "replacement_sent", "resolved"),
    ),
    Topic(
        "invoice_copy", "billing", True, "billing",
        ("Invoice copy for {order}", "申请订单 {order} 的发票"),
        ("Could you send me a copy of the invoice for order {order}? Our accounting needs "
         "it with our company name on it.",
         "请帮我开具订单 {order} 的发票，抬头需要写我们公司的名称。"),
        ("Of course. I have attached the invoice for {order}; if the company name needs to "
         "change, send me the exact name and tax ID.",
         "好的，订单 {order} 的发票已附上。如需修改抬头，请提供公司全称和税号。"),
        ("Perfect, that is exactly what we needed.", "收到了，正是我们需要的，谢谢。"),
        ("Glad it helps. Have a nice day!", "不客气，祝您生活愉快！"),
        "Sent invoice PDF for the order; no changes needed.",
        ("info_provided", "resolved"),
    ),
    Topic(
        "warranty_claim", "technical", True, "technical",
        ("Warranty claim: device from {order} stopped working",
         "保修申请：订单 {order} 的设备无法开机"),
        ("The headphones from order {order} stopped charging after five months. They are "
         "still under warranty, right?",
         "订单 {order} 买的耳机用了五个月就充不进电了，还在保修期内吧？"),
        ("Yes, they are covered by the 12-month warranty. I have created a warranty case "
         "and a prepaid return label for {order}.",
         "是的，该商品享受 12 个月保修。我已为订单 {order} 创建保修单，并生成了免费退货面单。"),
        ("Do I need the original box?", "需要原包装吗？"),
        ("No, any padded box is fine. We ship the replacement as soon as it arrives.",
         "不需要原包装，用结实的盒子包好即可。我们收到后会立即寄出新品。"),
        "Warranty case opened, prepaid label sent; replacement on receipt.",
        ("replacement_sent", "escalated", "callback_scheduled"),
    ),
    Topic(
        "password_reset", "technical", False, "technical",
        ("Cannot log in to my account", "无法登录账户"),
        ("I cannot log in and the password reset email never arrives.",
         "我登录不了账户，重置密码的邮件也一直收不到。"),
        ("I have verified your account and sent a new reset link. It is valid for 30 "
         "minutes; please check the spam folder too.",
         "已核实您的账户并重新发送了重置链接，30 分钟内有效，请同时检查垃圾邮件箱。"),
        ("Got it, I am back in. Thanks!", "收到了，已经可以登录了，谢谢！"),
        ("Great! For safety, consider turning on two-step verification in your settings.",
         "太好了！为了账户安全，建议在设置中开启两步验证。"),
        "Identity verified by order history; reset link resent, customer logged in.",
        ("resolved", "resolved", "info_provided"),
    ),
    Topic(
        "damaged_item", "general", True, "orders",
        ("Item in order {order} arrived damaged", "订单 {order} 收到的商品有破损"),
        ("The coffee machine from order {order} arrived with a cracked water tank. I have "
         "photos.",
         "订单 {order} 的咖啡机收到时水箱是裂的，我拍了照片。"),
        ("I am sorry it arrived like this. Thanks for the photos; I have shipped a "
         "replacement for {order} by express and you can keep or recycle the damaged one.",
         "非常抱歉给您带来不便，感谢您提供照片。我已为订单 {order} 安排加急补发，"
         "破损的商品无需寄回。"),
        ("That is fast, thank you.", "这么快，谢谢你们。"),
        ("You are welcome. You will get the tracking number by email today.",
         "不客气，今天内会把快递单号发到您的邮箱。"),
        "Photos confirm transport damage; express replacement sent, no return needed.",
        ("replacement_sent", "replacement_sent", "refund_issued"),
    ),
    Topic(
        "installation_help", "technical", False, "technical",
        ("Help setting up the smart thermostat", "智能温控器安装求助"),
        ("I installed the thermostat but it does not connect to my Wi-Fi. The light keeps "
         "blinking orange.",
         "温控器装好了，但是连不上家里的 Wi-Fi，指示灯一直闪橙色。"),
        ("Orange blinking means it only sees 5 GHz. Please switch the app to the 2.4 GHz "
         "network and hold the button for 5 seconds to restart pairing.",
         "橙灯闪烁表示设备只检测到 5GHz 网络。请在 App 中切换到 2.4GHz 网络，"
         "然后长按按钮 5 秒重新配对。"),
        ("It worked, the light is green now.", "可以了，现在是绿灯。"),
        ("Excellent. The setup guide with these steps is in your account if you need it "
         "again.",
         "太好了。以上步骤的安装指南已放在您的账户里，以后需要可以随时查看。"),
        "Walked customer through 2.4 GHz pairing; device online.",
        ("resolved", "resolved", "callback_scheduled"),
    ),
    Topic(
        "complaint", "general", False, "general",
        ("Complaint about customer service", "投诉：客服处理不当"),
        ("This is the third time I contact you about the same problem and nobody calls "
         "back as promised. I am very disappointed.",
         "同一个问题我已经联系你们三次了，每次都说会回电却没有人联系我，非常失望。"),
        ("I understand your frustration and I am sorry we did not call back. I have logged "
         "a formal complaint and a team lead will contact you within 24 hours.",
         "非常理解您的不满，没有按约回电是我们的失误。我已正式登记投诉，"
         "主管会在 24 小时内与您联系。"),
        ("OK. I hope this time someone really calls.", "好吧，希望这次真的有人联系我。"),
        ("You have my word; I have also added the case number to your account.",
         "请放心，我已将投诉编号记录在您的账户中。"),
        "Formal complaint logged; lead callback requested within 24 h.",
        ("complaint_logged", "complaint_logged", "escalated"),
    ),
    Topic(
        "double_charge", "billing", True, "billing",
        ("Charged twice for order {order}", "订单 {order} 被重复扣款"),
        ("My credit card shows two charges for order {order}. Please fix this.",
         "我的信用卡显示订单 {order} 被扣了两次款，请尽快处理。"),
        ("You are right, the payment for {order} was captured twice. I have refunded the "
         "duplicate charge; your bank will show it within a few days.",
         "确实如此，订单 {order} 重复扣款了。我已将多扣的款项退回，"
         "几个工作日内会显示在您的账单上。"),
        ("Thanks for sorting it out quickly.", "谢谢你们这么快处理。"),
        ("My pleasure, and sorry for the trouble.", "不客气，给您添麻烦了。"),
        "Duplicate capture confirmed in payment gateway; second charge refunded.",
        ("refund_issued", "resolved"),
    ),
    Topic(
        "change_address", "general", True, "orders",
        ("Change delivery address for {order}", "修改订单 {order} 的收货地址"),
        ("I moved last week. Can you still change the delivery address for order {order}?",
         "我上周搬家了，订单 {order} 的收货地址还能修改吗？"),
        ("Yes, {order} has not shipped yet, so I have updated the address. You will get an "
         "updated confirmation.",
         "可以，订单 {order} 尚未发货，我已为您更新了地址，稍后会收到新的确认通知。"),
        ("Great, thanks!", "太好了，谢谢！"),
        ("You are welcome. Enjoy the new place!", "不客气，祝您乔迁愉快！"),
        "Address updated before dispatch.",
        ("resolved",),
    ),
    Topic(
        "cancel_subscription", "billing", False, "billing",
        ("Cancel my subscription", "取消会员订阅"),
        ("Please cancel my premium subscription before the next renewal.",
         "请在下次续费前帮我取消高级会员订阅。"),
        ("Done: your subscription stays active until the end of this period and will not "
         "renew. You keep your order history and saved addresses.",
         "已为您取消：本期会员到期前仍可正常使用，之后不会再自动续费，"
         "订单记录和收货地址都会保留。"),
        ("Thanks, that was easy.", "好的，谢谢。"),
        ("Thanks for being a member; you can re-subscribe any time.",
         "感谢您的支持，欢迎随时重新订阅。"),
        "Auto-renew switched off; customer declined retention offer.",
        ("resolved", "info_provided"),
    ),
)

GREETING: Pair = ("Hi {name},", "{name}，您好！")
CUSTOMER_SIGN_OFF: Pair = ("Thanks,\n{name}", "谢谢！\n{name}")
CHAT_HELLO: Pair = ("Hello, this is {agent}. Let me look into it.",
                    "您好，我是客服{agent}，马上为您查询。")
CHAT_THANKS: Pair = ("Great, thanks for your help!", "好的，谢谢你的帮助！")
ABANDON_REASON = {"phone": "caller hung up", "chat": "visitor left"}  # as the simulator

EN_CUSTOMERS: tuple[str, ...] = (
    "Sarah Johnson", "Michael Brown", "Emily Davis", "James Miller", "Olivia Wilson",
    "Robert Taylor", "Jessica Anderson", "David Thomas", "Ashley Martinez", "Daniel White",
    "Jennifer Harris", "Matthew Clark", "Amanda Lewis", "Christopher Walker", "Megan Hall",
    "Andrew Young", "Lauren King", "Joshua Wright", "Rachel Scott", "Ryan Green",
    "Hannah Baker", "Brandon Adams", "Nicole Nelson", "Tyler Hill", "Samantha Campbell",
    "Kevin Mitchell", "Priya Patel", "Carlos Rivera", "Fatima Khan", "Liam O'Connor",
    "Sophie Dubois", "Marco Rossi", "Aisha Bello",
)

ZH_CUSTOMERS: tuple[tuple[str, str], ...] = (
    ("王芳", "wang.fang"), ("李伟", "li.wei"), ("张敏", "zhang.min"), ("刘洋", "liu.yang"),
    ("陈静", "chen.jing"), ("杨磊", "yang.lei"), ("赵丽", "zhao.li"), ("黄勇", "huang.yong"),
    ("周娜", "zhou.na"), ("吴强", "wu.qiang"), ("徐婷", "xu.ting"), ("孙杰", "sun.jie"),
    ("胡军", "hu.jun"), ("朱琳", "zhu.lin"), ("高峰", "gao.feng"), ("林晓燕", "lin.xiaoyan"),
    ("何志明", "he.zhiming"),
)

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net",
                                  "mail.example.com")
US_AREA_CODES: tuple[str, ...] = ("415", "212", "312", "206", "617", "512", "303", "404")
CN_MOBILE_PREFIXES: tuple[str, ...] = ("138", "139", "186", "135", "159")

NOTES_EN: tuple[str, ...] = (
    "prefers email", "prefers a call back in the afternoon",
    "business customer, needs invoices with company name", "hard of hearing, speak slowly",
)
NOTES_ZH: tuple[str, ...] = (
    "prefers email", "偏好邮件联系，白天不方便接电话",
    "企业客户，发票需写公司抬头",
)

# (English name, Chinese name, price in USD, price in CNY)
PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    ("Wireless Headphones WH-200", "无线耳机 WH-200", "129.90", "899.00"),
    ("Smart Thermostat T3", "智能温控器 T3", "179.00", "1299.00"),
    ("Espresso Machine Barista One", "意式咖啡机 Barista One", "349.00", "2499.00"),
    ("USB-C Cable 2 m", "USB-C 数据线 2 米", "12.90", "59.00"),
    ("Robot Vacuum RV-8", "扫地机器人 RV-8", "299.00", "2199.00"),
    ("Air Purifier P500", "空气净化器 P500", "219.00", "1599.00"),
    ("Fitness Tracker Band 4", "智能手环 Band 4", "59.90", "399.00"),
    ("Bluetooth Speaker Mini", "蓝牙音箱 Mini", "39.90", "269.00"),
    ("Electric Kettle 1.7 L", "电热水壶 1.7 升", "34.50", "229.00"),
    ("Replacement Filter Pack", "替换滤芯套装", "24.00", "149.00"),
)
ORDER_STATUSES: tuple[str, ...] = ("delivered", "shipped", "processing", "returned", "refunded")

#: The lead's wrap-up note on a follow-up task opened by a low satisfaction score.
FOLLOW_UP_NOTE = ("Called the customer back about the low score, apologised and made sure "
                  "the original issue is settled.")
